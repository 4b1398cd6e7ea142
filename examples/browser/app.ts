/**
 * The page's script: the SDK in the browser, with no API key. Every call goes to
 * `/api/modellix` on the page's own server, which adds the key (see server.ts).
 * With a picture chosen, the SDK uploads it (through the same proxy) and edits it;
 * without one, it generates a new image.
 */
import { Modellix, ModellixError } from "modellix";

const client = new Modellix({ baseURL: "/api/modellix" });

const form = document.querySelector<HTMLFormElement>("#generate");
const status = document.querySelector<HTMLElement>("#status");
const image = document.querySelector<HTMLImageElement>("#result");
if (!form || !status || !image) throw new Error("index.html is missing #generate, #status or #result");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const prompt = String(fields.get("prompt") ?? "");
  const picture = fields.get("picture");
  status.textContent = "submitting…";
  image.hidden = true;
  try {
    const task =
      picture instanceof File && picture.size > 0
        ? client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", image: [picture], prompt })
        : client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt, size: "2048x2048" });
    const result = await task.wait({ onProgress: (snapshot) => (status.textContent = `${snapshot.id}: ${snapshot.status}`) });
    const url = result.resources[0]?.url;
    if (!url) throw new Error("the task returned no image");
    image.src = url;
    image.hidden = false;
    status.textContent = `done: ${result.id}`;
  } catch (error) {
    // Errors are typed as in Node: ValidationError (before sending), TaskFailedError, RateLimitError, ...
    status.textContent = error instanceof ModellixError ? `${error.name}: ${error.message}` : String(error);
  }
});
