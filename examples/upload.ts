/**
 * Your own files as model inputs, end to end against the bundled fake Modellix server (no key,
 * no network): upload a local file with `uploadFile` (modellix/node) and pass its URL, put a
 * Blob straight into an input (the SDK uploads it after validation and sends its URL), and
 * list and delete the team's uploaded files.
 *
 *   npx tsx examples/upload.ts [image.png]
 */
import { mkdtempSync, openAsBlob, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Modellix from "modellix";
import { uploadFile } from "modellix/node";
import { createFakeServer } from "modellix/testing";

// The fake finishes tasks in under a second; real images take 30-60 s, videos 60-120 s.
const server = await createFakeServer({ pendingMs: 100, durationMs: 600 });
const client = new Modellix({ apiKey: "demo-key", baseURL: server.url, pollInterval: { initialMs: 250, maxMs: 500 } });
const path = process.argv[2] ?? writeSamplePng();

try {
  // 1. Upload a file from disk: its name and content type (from the extension) go with it.
  const uploaded = await uploadFile(client, path);
  console.log(`uploaded ${uploaded.filename} (${uploaded.type}, ${uploaded.size} bytes) as ${uploaded.fileId}: ${uploaded.url}`);
  const video = await client.i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", first_frame_image: uploaded.url, prompt: "the cat waves", duration: 5 }).wait();
  console.log(`i2v from the uploaded URL: ${video.resources[0]?.url}`);

  // 2. A Blob or File (or bytes, or a stream) in any file field: checked first, then uploaded, then sent as its URL.
  const file = new File([await openAsBlob(path)], "cat-copy.png", { type: "image/png" }); // a File keeps its name
  const task = await client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", image: [file, uploaded.url], prompt: "both cats in one picture", size: "2048x2048" });
  const submitted = server.fake.requests.filter((request) => request.route === "submit").at(-1)?.body as { image?: string[] } | undefined;
  console.log(`i2i task ${task.id} was sent image: ${JSON.stringify(submitted?.image)}`);
  console.log(`i2i result: ${(await task.wait()).resources[0]?.url}`);

  // 3. The team's files: list them, delete the ones you no longer need.
  const files = await client.files.list();
  console.log(`${files.length} uploaded files: ${files.map((file) => `${file.fileId} ${file.filename}`).join(", ")}`);
  for (const file of files) await client.files.delete(file.fileId);
  console.log(`after deleting: ${(await client.files.list()).length} files`);
} finally {
  await server.close();
}

/** A 1x1 PNG in a temporary folder, standing in for your own image. */
function writeSamplePng(): string {
  const file = join(mkdtempSync(join(tmpdir(), "modellix-upload-")), "cat.png");
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  writeFileSync(file, Buffer.from(png, "base64"));
  return file;
}
