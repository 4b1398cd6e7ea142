/**
 * The page of test/browser.test.ts, bundled by esbuild for the browser: it
 * submits a t2i task through the server proxy (no key in the page), waits for
 * it, and shows the image. The outcome is left on `window.outcome`.
 */
import Modellix, { ModellixError } from "modellix";

/** What the page reports back to the test. */
export interface PageOutcome {
  keyRefused: string;
  keyAllowedWithFlag: boolean;
  baseURL: string;
  taskId: string;
  statuses: string[];
  imageURL: string;
  imageWidth: number;
}

declare global {
  interface Window {
    outcome?: PageOutcome;
    failure?: string;
  }
}

const statusLine = document.querySelector<HTMLElement>("#status");
const show = (text: string) => {
  if (statusLine) statusLine.textContent = text;
};

/** Constructing a client with a key must throw in a browser unless `dangerouslyAllowBrowser` is set. */
function checkKeyRefusal(): { keyRefused: string; keyAllowedWithFlag: boolean } {
  let keyRefused = "";
  try {
    new Modellix({ apiKey: "mlx-key-in-a-page", baseURL: "/api/modellix" });
  } catch (error) {
    keyRefused = error instanceof ModellixError ? error.message : `unexpected ${String(error)}`;
  }
  const allowed = new Modellix({ apiKey: "mlx-key-in-a-page", baseURL: "/api/modellix", dangerouslyAllowBrowser: true });
  return { keyRefused, keyAllowedWithFlag: allowed.baseURL.endsWith("/api/modellix") };
}

async function run(): Promise<PageOutcome> {
  const refusal = checkKeyRefusal();
  const client = new Modellix({ baseURL: "/api/modellix", pollInterval: { initialMs: 200, maxMs: 200 } });
  show("submitting…");
  const task = await client.textToImage({ model: "bytedance/seedream-4-5-t2i", prompt: "a lighthouse at dawn", size: "1024*1024" });
  const statuses: string[] = [];
  const result = await task.wait({
    onProgress: (snapshot) => {
      statuses.push(snapshot.status);
      show(`task ${task.id}: ${snapshot.status}`);
    },
  });
  const url = result.resources[0]?.url ?? "";
  const image = document.createElement("img");
  image.alt = "a lighthouse at dawn";
  image.src = url;
  await image.decode();
  document.querySelector("#result")?.append(image);
  show(`task ${task.id}: done`);
  return { ...refusal, baseURL: client.baseURL, taskId: task.id, statuses, imageURL: url, imageWidth: image.naturalWidth };
}

run().then(
  (outcome) => {
    window.outcome = outcome;
  },
  (error: unknown) => {
    window.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    show(window.failure);
  },
);
