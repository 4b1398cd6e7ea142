/**
 * Downloads, end to end against the bundled fake Modellix server (no key, no network): read a
 * generated image into memory, then save every output file of a few tasks to a local folder.
 *
 *   npx tsx examples/download.ts [output-dir]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Modellix from "modellix";
import { download } from "modellix/node";
import { createFakeServer } from "modellix/testing";

// The fake finishes tasks in under a second; real images take 30-60 s, videos 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: 600 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });
const outDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), "modellix-download-"));

try {
  const result = await client.t2i.submit({ prompt: "four postcards of a harbour", n: 4 }).wait();
  const bytes = await result.resources[0]!.arrayBuffer(); // also blob() and stream(), in browsers too
  console.log(`first image in memory: ${bytes.byteLength} bytes`);

  const files = await download(result, outDir, { onProgress: (p) => console.log(`  file ${p.index}: ${p.bytes}/${p.total} bytes`) });
  for (const file of files) console.log(`saved ${file.path} (${file.bytes} bytes)`);

  const batch = await client.batch([
    { type: "t2v", prompt: "waves at night" },
    { type: "i2v", image: result.resources[1]!.url, prompt: "the boats rock" },
  ]);
  for (const item of batch) {
    if (item.ok) for (const file of await download(item.result, outDir)) console.log(`saved ${file.path}`);
  }
  console.log(`every file is in ${outDir}`);
} finally {
  await server.close();
}
