/**
 * Quick start, against the bundled fake Modellix (no key, no network): submit a
 * text-to-image task, wait for its result, and catch the SDK's typed errors.
 *
 *   npm run demo
 *
 * Against the real API, drop the fake server and write `new Modellix()`: it reads
 * MODELLIX_API_KEY, and the default poll schedule (2 s growing to 5 s) fits real tasks.
 */
import Modellix, { TaskFailedError, ValidationError } from "modellix";
import { createFakeServer } from "modellix/testing";

// The fake finishes an image in half a second (real ones take 30-60 s), so the client polls every 0.15-0.2 s.
const server = await createFakeServer({ pendingMs: 200, durationMs: 500 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 150, maxMs: 200 } });

try {
  console.log(`fake Modellix at ${server.url}`);

  // Each model takes its own parameters: Seedream's size is "WIDTHxHEIGHT".
  const task = await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048" });
  const statuses: string[] = [];
  const result = await task.wait({ onProgress: (snapshot) => statuses.push(snapshot.status) });
  const image = result.resources[0];
  console.log(`task ${task.id} (${task.model}): ${statuses.join(" → ")}`);
  console.log(`image: ${image?.url} (${image?.width}x${image?.height} ${image?.format})`);

  // Checked before anything is sent: this model makes at most 15 images per task.
  try {
    await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a fleet", sequential_image_generation: "auto", sequential_image_generation_max_images: 40 });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log(`refused before sending, ${error.name}: ${error.message}`);
  }

  // A task the platform rejects ends in a TaskFailedError (the fake rejects prompts marked "[fail]").
  try {
    await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "[fail] a rejected prompt" }).wait();
  } catch (error) {
    if (!(error instanceof TaskFailedError)) throw error;
    console.log(`task ${error.taskId} failed, ${error.name}: ${error.category}: ${error.detail}`);
  }
} finally {
  await server.close();
}
