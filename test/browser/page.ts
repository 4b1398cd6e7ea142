/**
 * The page of test/browser.test.ts, bundled by esbuild from the package's ESM
 * build (`dist/index.js`) with code splitting, as an app's bundler would. It
 * talks to Modellix only through the server's proxy (no key in the page). Once
 * loaded it sets `window.ready`; the test then calls `window.start()`, and the
 * page submits a t2i task, waits for it, shows the image, and collects the
 * SDK's typed errors. The outcome is left on `window.outcome`.
 */
import Modellix, { ModellixError, NotFoundError, TaskFailedError, ValidationError } from "modellix";

/** One error the page caught: its class, and whether `instanceof` recognised it. */
export interface CaughtError {
  name: string;
  typed: boolean;
  message: string;
  taskId?: string | undefined;
}

/** What the page reports back to the test. */
export interface PageOutcome {
  keyRefused: string;
  keyAllowedWithFlag: boolean;
  baseURL: string;
  taskId: string;
  model: string | undefined;
  statuses: string[];
  imageURL: string;
  imageWidth: number;
  invalid: CaughtError;
  /** A local path in a file field: a browser has no files to read, so it is refused before any request. */
  localPath: CaughtError;
  failed: CaughtError;
  unknownModel: CaughtError;
}

declare global {
  interface Window {
    ready?: boolean;
    start?: () => void;
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

/** Runs `call`, which must throw, and describes the error it threw. */
async function caught(call: () => Promise<unknown>, type: abstract new (...args: never[]) => Error): Promise<CaughtError> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof Error)) return { name: typeof error, typed: false, message: String(error) };
    const taskId = error instanceof ModellixError ? error.taskId : undefined;
    return { name: error.name, typed: error instanceof type && error instanceof ModellixError, message: error.message, taskId };
  }
  return { name: "none", typed: false, message: "did not throw" };
}

async function run(): Promise<PageOutcome> {
  const refusal = checkKeyRefusal();
  const client = new Modellix({ baseURL: "/api/modellix", pollInterval: { initialMs: 200, maxMs: 200 } });
  show("submitting…");
  const task = await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048" });
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

  // Typed errors in the browser: refused before sending, failed at the platform, refused by the API (through the proxy).
  const invalid = await caught(
    () => client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a fleet", sequential_image_generation: "auto", sequential_image_generation_max_images: 40 }),
    ValidationError,
  );
  const localPath = await caught(() => client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", prompt: "make it snow", image: ["./street.png"] }), ValidationError);
  const failed = await caught(() => client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "[fail] rejected" }).wait(), TaskFailedError);
  const unknownModel = await caught(() => client.run("t2i", "acme/no-such-model", { prompt: "a fox" }), NotFoundError);
  show(`task ${task.id}: done`);
  return { ...refusal, baseURL: client.baseURL, taskId: task.id, model: result.model, statuses, imageURL: url, imageWidth: image.naturalWidth, invalid, localPath, failed, unknownModel };
}

window.start = () => {
  run().then(
    (outcome) => {
      window.outcome = outcome;
    },
    (error: unknown) => {
      window.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      show(window.failure);
    },
  );
};
window.ready = true;
show("ready");
