/**
 * The page's script: the SDK in the browser, with no API key. Every call goes to
 * `/api/modellix` on the page's own server, which adds the key (see server.ts).
 */
import { Modellix, ModellixError } from "modellix";

const client = new Modellix({ baseURL: "/api/modellix" });

const form = document.querySelector<HTMLFormElement>("#generate");
const status = document.querySelector<HTMLElement>("#status");
const image = document.querySelector<HTMLImageElement>("#result");
if (!form || !status || !image) throw new Error("index.html is missing #generate, #status or #result");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const prompt = String(new FormData(form).get("prompt") ?? "");
  status.textContent = "submitting…";
  image.hidden = true;
  try {
    const result = await client
      .textToImage({ prompt, size: "1024*1024" })
      .wait({ onProgress: (snapshot) => (status.textContent = `${snapshot.id}: ${snapshot.status}`) });
    const url = result.resources[0]?.url;
    if (!url) throw new Error("the task returned no image");
    image.src = url;
    image.hidden = false;
    status.textContent = `done: ${result.taskId}`;
  } catch (error) {
    // Errors are typed as in Node: ValidationError, TaskFailedError, RateLimitError, ...
    status.textContent = error instanceof ModellixError ? `${error.name}: ${error.message}` : String(error);
  }
});
