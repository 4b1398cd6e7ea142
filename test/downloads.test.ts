import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import Modellix, { InvalidResponseError, NotFoundError, type Resource, TaskExpiredError, TimeoutError } from "modellix";
import { download, saveTo } from "modellix/node";
import { type FakeServer, createFakeServer } from "modellix/testing";
import { drive, driveToError, secretKey, setup } from "./helpers.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DAY = 24 * 60 * 60 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe("result files in memory (browser-safe)", () => {
  async function imageResult(input: Record<string, unknown> = {}) {
    vi.useFakeTimers();
    const { fake, client } = setup();
    const result = await drive(client.t2i.submit({ prompt: "a fox", ...input }).wait());
    return { fake, client, result, resource: result.resources[0] as Resource };
  }

  it("arrayBuffer(), blob() and stream() fetch the file with the client's fetch and no API key", async () => {
    const { fake, resource } = await imageResult();
    const bytes = new Uint8Array(await resource.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    const blob = await resource.blob();
    expect(blob.type).toBe("image/png");
    expect(blob.size).toBe(bytes.byteLength);
    const chunks: Uint8Array[] = [];
    const reader = (await resource.stream()).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(bytes.byteLength);
    const fileReads = fake.requests.filter((request) => request.path.startsWith("/files/"));
    expect(fileReads).toHaveLength(3);
    for (const read of fileReads) expect(read.headers.authorization).toBeUndefined();
    expect(JSON.stringify(fake.requests)).not.toContain(secretKey);
  });

  it("JSON keeps the plain data: the download methods are not enumerable", async () => {
    const { result, resource } = await imageResult({ size: "640*480" });
    expect(Object.keys(resource).sort()).toEqual(["format", "height", "type", "url", "width"]);
    const json = JSON.parse(JSON.stringify(result)) as { resources: Record<string, unknown>[] };
    expect(json.resources).toEqual([{ url: resource.url, type: "image", width: 640, height: 480, format: "png" }]);
    expect(typeof resource.arrayBuffer).toBe("function");
  });

  it("reports progress, and refuses a file larger than maxBytes", async () => {
    const { resource } = await imageResult();
    const progress: { bytes: number; total: number | undefined }[] = [];
    const size = (await resource.arrayBuffer({ onProgress: (p) => progress.push(p) })).byteLength;
    expect(progress.at(-1)).toEqual({ bytes: size, total: size });
    const error = await resource.arrayBuffer({ maxBytes: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("larger than maxBytes (10)");
  });

  it("a file host that never answers is a TimeoutError once the read retries are spent", async () => {
    const { fake, resource } = await imageResult();
    fake.inject({ kind: "hang" }, { times: Number.POSITIVE_INFINITY, match: { path: /^\/files\// } });
    expect(await driveToError(resource.arrayBuffer({ timeout: 1000 }))).toBeInstanceOf(TimeoutError);
    expect(fake.countRequests({ path: /^\/files\// })).toBe(4);
  });

  it("a file past the 24 h retention is a TaskExpiredError; a young task's 404 stays a NotFoundError", async () => {
    const { fake, resource } = await imageResult();
    fake.inject({ kind: "status", status: 404, message: "Not Found: no such object" }, { match: { path: /^\/files\// } });
    expect(await driveToError(resource.arrayBuffer())).toBeInstanceOf(NotFoundError);
    expect((await resource.arrayBuffer()).byteLength).toBeGreaterThan(8);
    vi.setSystemTime(Date.now() + DAY);
    fake.inject({ kind: "status", status: 404, message: "Not Found: no such object" }, { match: { path: /^\/files\// } });
    const old = await driveToError(resource.blob());
    expect(old).toBeInstanceOf(TaskExpiredError);
    const expired = await driveToError(resource.stream());
    expect(expired).toBeInstanceOf(TaskExpiredError);
    expect((expired as TaskExpiredError).message).toMatch(/has expired: results are kept 24 hours/);
  });
});

describe("modellix/node: saving files to disk", () => {
  let server: FakeServer;
  let dir: string;
  afterEach(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(fetchImpl?: typeof fetch) {
    server = await createFakeServer({ pendingMs: 0, durationMs: 0 });
    dir = mkdtempSync(join(tmpdir(), "modellix-downloads-"));
    const client = new Modellix({ apiKey: secretKey, baseURL: server.url, pollInterval: { initialMs: 1, maxMs: 1 }, logLevel: "off", fetch: fetchImpl });
    return client;
  }

  it("download(result, dir) streams every file to <task id>-<index>.<ext>, with progress and no temp files left", async () => {
    const client = await start();
    const result = await client.t2i.submit({ prompt: "three foxes", n: 3 }).wait();
    const progress: string[] = [];
    const files = await download(result, join(dir, "out"), { onProgress: (p) => progress.push(`${p.index}:${p.bytes}/${p.total}`) });
    expect(files.map((file) => file.path)).toEqual([0, 1, 2].map((i) => join(dir, "out", `${result.taskId}-${i}.png`)));
    expect(readdirSync(join(dir, "out")).sort()).toEqual(files.map((file) => `${result.taskId}-${files.indexOf(file)}.png`).sort());
    for (const file of files) expect([...readFileSync(file.path).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(files[0]?.bytes).toBe(readFileSync(files[0]?.path ?? "").byteLength);
    expect(progress).toHaveLength(3);
  });

  it("download(task, dir) waits for the task first; saveTo(resource, path) writes one file", async () => {
    const client = await start();
    const task = await client.i2v.submit({ image: "https://example.com/a.png" });
    const [video] = await download(task, dir);
    expect(video?.path).toBe(join(dir, `${task.id}-0.mp4`));
    const result = await client.tasks.retrieve(task.id).wait();
    const saved = await saveTo(result.resources[0] as Resource, join(dir, "nested", "clip.mp4"));
    expect(readFileSync(saved.path)).toEqual(readFileSync(video?.path ?? ""));
  });

  it("is atomic: a failed download leaves an existing file untouched and no temp file", async () => {
    const client = await start();
    const result = await client.t2i.submit({ prompt: "x" }).wait();
    const target = join(dir, "keep.png");
    writeFileSync(target, "previous");
    await expect(saveTo(result.resources[0] as Resource, target, { maxBytes: 10 })).rejects.toBeInstanceOf(InvalidResponseError);
    expect(readFileSync(target, "utf8")).toBe("previous");
    expect(readdirSync(dir)).toEqual(["keep.png"]);
  });

  it("names files from the task id and extension only: nothing in the id or URL can leave the folder", async () => {
    const evilId = "../../evil\u0000id";
    const hostile: typeof fetch = async (input) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes("/tasks/")) {
        const resources = [{ url: "https://files.test/a/..%2F..%2Fpayload.EXE?name=../../x.sh", type: "file", format: "../sh" }];
        return Response.json({ code: 0, message: "success", data: { task_id: evilId, status: "success", result: { resources } } });
      }
      return new Response("payload", { headers: { "content-type": "application/octet-stream" } });
    };
    const client = await start(hostile);
    const result = await client.tasks.retrieve(evilId).wait();
    const [file] = await download(result, dir);
    expect(file?.path).toBe(join(dir, "evil_id-0.exe"));
    expect(readdirSync(dir)).toEqual(["evil_id-0.exe"]);
    expect(readFileSync(file?.path ?? "", "utf8")).toBe("payload");
  });

  it("after 24 hours a download is a TaskExpiredError and writes nothing", async () => {
    const client = await start();
    const result = await client.t2i.submit({ prompt: "x" }).wait();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DAY + 1000);
    const error = await download(result, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskExpiredError);
    expect((error as TaskExpiredError).taskId).toBe(result.taskId);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, `${result.taskId}-0.png`))).toBe(false);
  });
});
