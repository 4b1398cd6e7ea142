/**
 * Quick start, end to end against the bundled fake Modellix server (no key, no network):
 * submit a text-to-image and an image-to-video task, follow their progress, print the result URLs.
 *
 *   npm run demo
 */
import Modellix, { ModellixError, TaskFailedError } from "modellix";
import { createFakeServer } from "modellix/testing";

// The fake runs tasks faster than the real API (2 s instead of 30-120 s), so the client polls faster too.
const server = await createFakeServer({ pendingMs: 300, durationMs: 2_000 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 500, maxMs: 1_000 } });

try {
  console.log(`fake Modellix listening at ${server.url}`);

  const image = await client
    .textToImage({ model: "bytedance/seedream-4-5-t2i", prompt: "a lighthouse at dawn", size: "1024*1024" })
    .wait({ onProgress: (s) => console.log(`  t2i ${s.id}: ${s.status}`) });
  console.log(`image ready: ${image.resources.map((r) => `${r.url} (${r.width}x${r.height} ${r.format})`).join(", ")}`);

  const task = await client.imageToVideo({ image: image.resources[0]!.url, prompt: "the light sweeps over the sea", duration: 5 });
  console.log(`video task submitted: ${task.id} (store this id to resume later)`);
  for await (const update of client.tasks.retrieve(task.id, { type: "i2v" }).updates()) {
    console.log(`  i2v ${update.id}: ${update.status}`);
    if (update.status === "success") console.log(`video ready: ${update.resources.map((r) => r.url).join(", ")}`);
  }

  try {
    await client.textToImage({ prompt: "[fail] something the content policy rejects" }).wait();
  } catch (error) {
    if (!(error instanceof TaskFailedError)) throw error;
    console.log(`a failed task is a typed error: ${error.name} — ${error.category}: ${error.detail}`);
  }

  console.log(`rate limit: ${client.rateLimit?.remaining}/${client.rateLimit?.limit} requests left this minute`);
  console.log(`the fake server saw ${server.fake.requests.length} requests`);
} catch (error) {
  if (error instanceof ModellixError) console.error(`${error.name}: ${error.message}`);
  throw error;
} finally {
  await server.close();
}
