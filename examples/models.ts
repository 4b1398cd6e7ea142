/**
 * Models and account, end to end against the bundled fake Modellix server (no key, no network):
 * list the text-to-image models, check the key and the balance, submit with a typed model name,
 * and run a reference-to-video model that has no namespace of its own.
 *
 *   npx tsx examples/models.ts
 */
import Modellix, { ValidationError } from "modellix";
import { createFakeServer } from "modellix/testing";

// The fake finishes tasks in under a second; real images take 30-60 s, videos 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: 600 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });

try {
  const t2i = await client.models.list({ type: "t2i" });
  console.log(`text-to-image models: ${t2i.map((model) => `${model.slug} (${model.name})`).join(", ")}`);
  const kling = await client.models.list({ provider: "kling" });
  console.log(`kling models: ${kling.map((model) => `${model.slug} [${model.type}]`).join(", ")}`);
  const seedream = await client.models.retrieve("bytedance/seedream-4-5-t2i");
  console.log(`retrieved ${seedream.slug}: type ${seedream.type}, provider ${seedream.provider}`);

  console.log(`key valid: ${await client.account.validateKey()}`);
  console.log(`team balance: ${(await client.account.balance()).amount}`);

  // `model` autocompletes the known t2i models in an editor; any other "provider/model" is accepted too.
  const image = await client.t2i.submit({ model: "google/nano-banana-2-lite", prompt: "a red kite over the dunes", size: "1024*1024" }).wait();
  console.log(`t2i result: ${image.resources[0]?.url}`);

  try {
    await client.t2i.submit({ model: "google/veo-3-1-fast-t2v", prompt: "a wave" });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log(`refused before sending: ${error.message}`);
  }

  const video = await client.run("r2v", "alibaba/wan-2-6-r2v", { prompt: "the kite dances", images: [image.resources[0]!.url] }).wait();
  console.log(`r2v result: ${video.resources[0]?.url}`);
} finally {
  await server.close();
}
