/**
 * Batch, end to end against the bundled fake Modellix server (no key, no network): 20 mixed
 * tasks under the team quota of 3, with progress, one of them failing without losing the
 * others; then a small batch read as results complete.
 *
 *   npx tsx examples/batch.ts
 */
import Modellix, { type BatchItem } from "modellix";
import { createFakeServer } from "modellix/testing";

// The fake finishes images in 0.6 s and videos in 1.2 s; real ones take 30-60 s and 60-120 s.
const videoTypes = new Set(["i2v", "t2v", "r2v", "v2v"]);
const server = await createFakeServer({ pendingMs: 100, durationMs: (task) => (videoTypes.has(task.type) ? 1200 : 600) });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, maxConcurrentTasks: 3, pollInterval: { initialMs: 250, maxMs: 500 } });
const image = "https://example.com/lighthouse.png";

try {
  const kinds: BatchItem[] = [
    { type: "t2i", prompt: "a lighthouse at dawn", size: "1024*768" },
    { type: "i2i", prompt: "paint it in watercolour", image },
    { type: "i2v", image, prompt: "the light sweeps over the sea", duration: 5 },
    { type: "t2v", prompt: "a storm rolls in", aspect_ratio: "16:9" },
    { type: "expansion", image, left_expansion_ratio: 0.3, right_expansion_ratio: 0.3 },
    { type: "r2v", model: "alibaba/wan-2-6-r2v", prompt: "the keeper waves", images: [image] },
    { type: "v2v", model: "bytedance/seedance-2-0-fast-v2v", prompt: "make it snow" },
  ];
  const items = Array.from({ length: 20 }, (_, index) => kinds[index % kinds.length]!);
  items[9] = { type: "t2i", prompt: "[fail] the fake's content policy rejects this one" };

  const results = await client.batch(items, {
    onProgress: (p) => console.log(`  ${p.submitted}/${p.total} submitted, ${p.running} running, ${p.succeeded} done, ${p.failed} failed`),
  });
  for (const result of results) {
    if (result.ok) console.log(`#${result.index} ${result.task.type}: ${result.result.resources.map((r) => r.url).join(", ")}`);
    else console.log(`#${result.index} failed: ${result.error.name}: ${result.error.message}`);
  }
  console.log(`at most ${server.fake.maxConcurrentObserved} tasks ran at once; 429s: ${server.fake.stats.tooManyRequests.concurrency}`);

  console.log("as they complete:");
  for await (const result of client.batch([{ type: "t2v", prompt: "slow video" }, { type: "t2i", prompt: "quick image" }])) {
    console.log(`  #${result.index} ${result.ok ? "done" : `failed: ${result.error.message}`}`);
  }
} finally {
  await server.close();
}
