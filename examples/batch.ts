/**
 * A resumable batch, end to end against the bundled fake Modellix server (no key, no network):
 * twelve tasks of mixed types, each with its model's own parameters, under the team quota of 3,
 * with a write-ahead journal in a file. The first run is stopped half way, as a crash would
 * stop it; the rerun with the same journal follows the tasks already created by their ids
 * instead of paying for them again, and submits only the rest.
 *
 *   npx tsx examples/batch.ts [journal-file]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Modellix, { type BatchItem, type BatchProgress } from "modellix";
import { fileJournal, journalHistory } from "modellix/node";
import { createFakeServer } from "modellix/testing";

// The fake finishes images in 0.6 s and videos in 1.2 s; real ones take 30-60 s and 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: (task) => (task.output === "video" ? 1200 : 600) });
const connect = () => new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });
const journalPath = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), "modellix-batch-")), "batch.journal.jsonl");
const image = "https://example.com/lighthouse.png";

// `type` is a namespace (or any type client.run takes, such as "r2v"); the rest is the model's own input.
const items: BatchItem[] = [
  { type: "t2i", model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048" },
  { type: "t2i", model: "alibaba/qwen-image", prompt: "a lighthouse in a storm", size: "1328*1328" },
  { type: "t2i", model: "google/nano-banana-2", prompt: "a lighthouse at night", aspectRatio: "16:9", imageSize: "2K" },
  { type: "i2i", model: "bytedance/seedream-5.0-lite-edit", prompt: "paint it in watercolour", image: [image] },
  { type: "expansion", model: "kling/kling-image-expansion", image, left_expansion_ratio: 0.3, right_expansion_ratio: 0.3 },
  { type: "i2v", model: "bytedance/seedance-2.0-fast-i2v", first_frame_image: image, prompt: "the light sweeps over the sea", duration: 5 },
  { type: "t2v", model: "alibaba/wan2.6-t2v", prompt: "a storm rolls in over the sea", size: "1280*720", duration: 5 },
  { type: "t2v", model: "bytedance/seedance-2.0-mini-t2v", prompt: "gulls circle the lantern", resolution: "720p" },
  { type: "r2v", model: "vidu/viduq3-mix-r2v", prompt: "the keeper waves from the gallery", reference_images: [image], aspect_ratio: "16:9" },
  { type: "t2i", model: "bytedance/seedream-4.5-t2i", prompt: "[fail] the fake's content policy rejects this one" },
  { type: "tts", model: "alibaba/qwen-audio-3.0-tts-flash", text: "The light is lit.", voice: "Cherry" },
  { type: "v2v", model: "bytedance/seedance-2.0-fast-v2v", prompt: "[Video 1] in falling snow", video_urls: ["https://example.com/harbour.mp4"] },
];

try {
  console.log(`journal: ${journalPath}`);

  // Run 1: stopped once the quota is full (3 tasks running), as a crash or Ctrl-C would stop it.
  const stop = new AbortController();
  const first = await connect().batch(items, {
    journal: fileJournal(journalPath),
    signal: stop.signal,
    onProgress: (p) => {
      if (p.running === 3) stop.abort();
    },
  });
  const created = first.filter((result) => result.task !== undefined).length;
  console.log(`run 1: stopped with ${created} of ${items.length} tasks created; they keep running at Modellix`);

  // Run 2, e.g. a new process after the crash: the same items and journal. Results come as they complete.
  let progress: BatchProgress | undefined;
  const run = connect().batch(items, { journal: fileJournal(journalPath), onProgress: (p) => (progress = p) });
  for await (const result of run) {
    const item = items[result.index];
    if (result.ok) console.log(`  #${result.index} ${item?.type} ${result.result.model}: ${result.result.resources.map((r) => r.url).join(", ")}`);
    else console.log(`  #${result.index} ${item?.type} ${item?.model}: ${result.error.name}: ${result.error.message}`);
  }
  console.log(`run 2: ${progress?.resumed} resumed from the journal, ${(progress?.submitted ?? 0) - (progress?.resumed ?? 0)} submitted, ${progress?.succeeded} succeeded, ${progress?.failed} failed`);

  const history = await journalHistory(fileJournal(journalPath));
  const posts = server.fake.countRequests({ route: "submit" });
  console.log(`journal: ${history.length} tasks (${history.filter((task) => task.state === "success").length} success); server: ${posts} submits for ${items.length} items, at most ${server.fake.maxConcurrentObserved} tasks at once`);
  if (posts !== items.length) throw new Error(`expected ${items.length} submits, the server saw ${posts}`);
} finally {
  await server.close();
}
