/**
 * Models and account, end to end against the bundled fake Modellix server (no key, no network):
 * list the active models (by type, featured, by provider, by text), describe one, read a raw
 * response, check the key and the balance, and submit by slug.
 *
 *   npx tsx examples/models.ts            # against the fake
 *   npx tsx examples/models.ts --remote   # also reads the model's public schema from www.modellix.ai (no key sent)
 */
import Modellix, { ValidationError } from "modellix";
import { createFakeServer } from "modellix/testing";

// The fake finishes tasks in under a second; real images take 30-60 s, videos 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: 600 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });
const remote = process.argv.includes("--remote");

try {
  // One GET /models, cached for five minutes; the filters apply locally.
  const t2i = await client.models.list({ type: "t2i" });
  console.log(`${t2i.length} text-to-image models, e.g. ${t2i.slice(0, 4).map((model) => model.slug).join(", ")}`);
  const featured = await client.models.list({ featured: true });
  console.log(`featured: ${featured.map((model) => `${model.slug} [${model.namespace}]`).join(", ")}`);
  const klingVideo = await client.models.list({ provider: "kling", search: "i2v" });
  console.log(`kling image-to-video: ${klingVideo.map((model) => model.modelId).join(", ")}`);

  // Describe one model: its entry in GET /models (prices and all, in `data`).
  const seedream = await client.models.retrieve("bytedance/seedream-4.5-t2i");
  console.log(`${seedream.slug}: ${seedream.type} (client.${seedream.namespace}), docs ${seedream.docsUrl}`);
  console.log(`  ${seedream.description}`);
  if (remote) {
    // Its public request schema (OpenAPI): every parameter, and the exact submit URL in servers[0].url.
    const schema = await client.models.schema(seedream.slug);
    console.log(`  schema: ${JSON.stringify(schema).length} bytes of OpenAPI, submit URL ${JSON.stringify((schema.servers as { url?: string }[] | undefined)?.[0]?.url)}`);
  } else {
    console.log("  (--remote reads its public schema from www.modellix.ai)");
  }

  // Any call gives its raw HTTP response too.
  const { data: models, response } = await client.models.list().withResponse();
  console.log(`GET /models: ${response.status}, ${models.length} models, request id ${response.headers.get("x-request-id")}`);

  console.log(`key valid: ${await client.account.validateKey()}; team balance: $${(await client.account.balance()).amount}`);

  // `model` completes every known slug in an editor, and each model's own fields after it.
  const image = await client.t2i.submit({ model: "google/nano-banana-2", prompt: "a red kite over the dunes", aspectRatio: "16:9", imageSize: "2K" }).wait();
  console.log(`t2i ${image.model}: ${image.resources[0]?.url} (${image.resources[0]?.width}x${image.resources[0]?.height})`);

  // A model of another type is refused before anything is sent, with the namespace to use.
  try {
    await client.t2i.submit({ model: "google/veo-3.1-t2v", prompt: "a wave" });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }

  // client.run() takes any type and slug, e.g. a reference-to-video model (an image-to-video family with no namespace of its own).
  const video = await client.run("r2v", "vidu/viduq3-mix-r2v", { prompt: "the kite dances", reference_images: [image.resources[0]!.url], duration: 4 }).wait();
  console.log(`r2v ${video.model}: ${video.resources[0]?.url}`);
} finally {
  await server.close();
}
