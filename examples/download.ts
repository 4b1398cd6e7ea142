/**
 * Downloads, end to end against the bundled fake Modellix server (no key, no network): read a
 * generated image into memory, save every file of a task to a folder (`download`), and save
 * one file under a name of your choice (`saveTo`). Generated files are kept about 24 hours
 * (`result.expiresAt`): save what you want to keep.
 *
 *   npx tsx examples/download.ts [output-dir]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Modellix from "modellix";
import { download, saveTo } from "modellix/node";
import { createFakeServer } from "modellix/testing";

// The fake finishes tasks in under a second; real images take 30-60 s, videos 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: 600 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });
const outDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), "modellix-download-"));

try {
  // Seedream makes a set of related images in one task when asked for a sequence.
  const postcards = await client.t2i
    .submit({
      model: "bytedance/seedream-4.5-t2i",
      prompt: "four postcards of a harbour, one per season",
      size: "2048x2048",
      sequential_image_generation: "auto",
      sequential_image_generation_max_images: 4,
    })
    .wait();
  console.log(`${postcards.resources.length} images, kept until ${postcards.expiresAt?.toISOString()}`);

  const bytes = await postcards.resources[0]!.arrayBuffer(); // also blob() and stream(), in browsers too
  console.log(`first image in memory: ${bytes.byteLength} bytes`);

  // Every file of the task, as <task id>-<index>.<extension>, each written whole or not at all.
  const files = await download(postcards, outDir, { onProgress: (p) => p.bytes === p.total && console.log(`  file ${p.index} done: ${p.bytes} bytes`) });
  for (const file of files) console.log(`saved ${file.path}`);

  // One file under your own name; download() also takes a Task and waits for it first.
  const clip = await client.i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", first_frame_image: postcards.resources[1]!.url, prompt: "the boats rock gently" });
  const [video] = (await clip.wait()).resources;
  const saved = await saveTo(video!, join(outDir, "harbour.mp4"), { timeout: 30_000 });
  console.log(`saved ${saved.path} (${saved.bytes} bytes)`);
  const greeting = await client.tts.submit({ model: "alibaba/qwen-audio-3.0-tts-flash", text: "Welcome to the harbour.", voice: "Cherry" });
  for (const file of await download(greeting, outDir)) console.log(`saved ${file.path}`);
  console.log(`every file is in ${outDir}`);
} finally {
  await server.close();
}
