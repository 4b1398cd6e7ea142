import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import Modellix, {
  UserAbortError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  type Resource,
  TaskExpiredError,
  RequestTimeoutError,
} from "modellix";
import { download, saveTo } from "modellix/node";
import { type FakeServer, createFakeServer } from "modellix/testing";
import { drive, driveToError, secretKey, setup } from "./helpers.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;

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
    const { result, resource } = await imageResult({ model: "alibaba/wan2.6-t2i", size: "640*480" });
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
    const boom = new Error("onProgress failed");
    await expect(
      resource.arrayBuffer({
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  it("a file host that never answers is a RequestTimeoutError once the read retries are spent", async () => {
    const { fake, resource } = await imageResult();
    fake.inject({ kind: "hang" }, { times: Number.POSITIVE_INFINITY, match: { path: /^\/files\// } });
    expect(await driveToError(resource.arrayBuffer({ timeout: 1000 }))).toBeInstanceOf(RequestTimeoutError);
    expect(fake.countRequests({ path: /^\/files\// })).toBe(4);
  });

  it("a file past the 7-day retention is a TaskExpiredError; a young task's 404 stays a NotFoundError", async () => {
    const { fake, resource } = await imageResult();
    fake.inject({ kind: "status", status: 404, message: "Not Found: no such object" }, { match: { path: /^\/files\// } });
    expect(await driveToError(resource.arrayBuffer())).toBeInstanceOf(NotFoundError);
    expect((await resource.arrayBuffer()).byteLength).toBeGreaterThan(8);
    vi.setSystemTime(Date.now() + WEEK);
    fake.inject({ kind: "status", status: 404, message: "Not Found: no such object" }, { match: { path: /^\/files\// } });
    const old = await driveToError(resource.blob());
    expect(old).toBeInstanceOf(TaskExpiredError);
    const expired = await driveToError(resource.stream());
    expect(expired).toBeInstanceOf(TaskExpiredError);
    expect((expired as TaskExpiredError).message).toMatch(/has expired: its results expired at \S+\. Submit it again\./);
  });
});

describe("result files in memory: signal and timeout cover the body too", () => {
  const origin = "https://stalls.modellix.test";
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** A finished task whose one file sends its headers at once, then the body `send` writes. */
  async function fileSending(send: (body: ReadableStreamDefaultController<Uint8Array>) => void): Promise<Resource> {
    const resources = [{ url: `${origin}/files/clip.mp4`, type: "video" }];
    server.use(
      http.get(`${origin}/api/v1/tasks/:id`, ({ params }) =>
        HttpResponse.json({ code: 0, message: "success", data: { task_id: params.id, status: "success", result: { resources } } }),
      ),
      http.get(`${origin}/files/clip.mp4`, () => new HttpResponse(new ReadableStream({ start: send }), { headers: { "content-type": "video/mp4" } })),
    );
    vi.useFakeTimers();
    const client = new Modellix({ apiKey: secretKey, baseURL: `${origin}/api/v1`, logLevel: "off" });
    const result = await drive(client.tasks.retrieve("task-1").wait());
    return result.resources[0] as Resource;
  }

  it("a body that stops sending is a RequestTimeoutError after `timeout` ms without bytes; a slow one that keeps sending is not cut", async () => {
    const slow = await fileSending((body) => {
      for (let i = 1; i <= 5; i++) setTimeout(() => body.enqueue(new Uint8Array([i])), i * 600);
      setTimeout(() => body.close(), 3000);
    });
    expect(new Uint8Array(await drive(slow.arrayBuffer({ timeout: 1000 }), { stepMs: 100 }))).toEqual(new Uint8Array([1, 2, 3, 4, 5]));

    const stalled = await fileSending((body) => body.enqueue(new Uint8Array([1, 2, 3])));
    const error = await driveToError(stalled.arrayBuffer({ timeout: 1000 }), { stepMs: 100, maxMs: 60_000 });
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(1000);
  });

  it("the caller's signal aborts a body being read (UserAbortError)", async () => {
    const resource = await fileSending((body) => body.enqueue(new Uint8Array([1, 2, 3])));
    const controller = new AbortController();
    const reader = (await resource.stream({ signal: controller.signal })).getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2, 3]));
    const next = reader.read();
    controller.abort();
    await expect(next).rejects.toBeInstanceOf(UserAbortError);
  });
});

/**
 * A real HTTP server on 127.0.0.1 playing the API and its file host: every task
 * has succeeded with one file, `/files/<task id>`, answered by `sendFile`.
 */
async function apiWithFiles(sendFile: (response: ServerResponse, taskId: string) => void) {
  let origin = "";
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    const taskId = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    if (url.pathname.startsWith("/files/")) return sendFile(response, taskId);
    const resources = [{ url: `${origin}/files/${encodeURIComponent(taskId)}`, type: "file" }];
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ code: 0, message: "success", data: { task_id: taskId, status: "success", result: { resources } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new Modellix({ apiKey: secretKey, baseURL: `${origin}/api/v1`, logLevel: "off" });
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { client, close };
}

/** Paths this process holds open under `dir` (Linux; empty elsewhere). */
function openFilesUnder(dir: string): string[] {
  if (!existsSync("/proc/self/fd")) return [];
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe("modellix/node: a file that fails after its headers", () => {
  let dir: string;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Serves a 1000-byte file that sends its first 100 bytes, then does what `then` says; resolves `lost` when the client drops the connection. */
  async function partialFile(then: "stall" | "drop") {
    dir = mkdtempSync(join(tmpdir(), "modellix-partial-"));
    let lost: () => void = () => undefined;
    const connectionLost = new Promise<void>((resolve) => (lost = resolve));
    const api = await apiWithFiles((response) => {
      response.on("close", () => response.writableFinished || lost());
      response.writeHead(200, { "content-type": "video/mp4", "content-length": "1000" });
      response.write(new Uint8Array(100));
      if (then === "drop") setImmediate(() => response.socket?.destroy());
    });
    close = api.close;
    const result = await api.client.tasks.retrieve("task-1").wait();
    return { resource: result.resources[0] as Resource, connectionLost, target: join(dir, "clip.mp4") };
  }

  it("a body that stalls is a RequestTimeoutError: the partial file is removed and the connection closed", async () => {
    const { resource, connectionLost, target } = await partialFile("stall");
    await expect(saveTo(resource, target, { timeout: 100 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await connectionLost;
    expect(readdirSync(dir)).toEqual([]);
    expect(openFilesUnder(dir)).toEqual([]);
  });

  it("the caller's signal aborts a body being saved: UserAbortError, the partial file removed, the connection closed", async () => {
    const { resource, connectionLost, target } = await partialFile("stall");
    const controller = new AbortController();
    const saving = saveTo(resource, target, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(saving).rejects.toBeInstanceOf(UserAbortError);
    await connectionLost;
    expect(readdirSync(dir)).toEqual([]);
    expect(openFilesUnder(dir)).toEqual([]);
  });

  it("a connection dropped mid-file is a ConnectionError (requestSent): the partial file is removed, nothing left open", async () => {
    const { resource, target } = await partialFile("drop");
    const error = await saveTo(resource, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).requestSent).toBe(true);
    expect((error as Error).message).not.toContain(secretKey);
    await expect(resource.arrayBuffer()).rejects.toBeInstanceOf(ConnectionError);
    expect(readdirSync(dir)).toEqual([]);
    expect(openFilesUnder(dir)).toEqual([]);
  });

  it("task ids that clean to the same name get different files: none overwrites another", async () => {
    dir = mkdtempSync(join(tmpdir(), "modellix-names-"));
    const ids = ["a/b", "a?b", "a_b", "A_b"];
    const api = await apiWithFiles((response, taskId) => response.end(JSON.stringify(taskId)));
    close = api.close;
    const paths: string[] = [];
    for (const id of ids) {
      const [file] = await download(await api.client.tasks.retrieve(id).wait(), dir);
      paths.push(file?.path ?? "");
    }
    expect(new Set(paths.map((path) => path.toLowerCase())).size).toBe(ids.length);
    expect(paths[2]).toBe(join(dir, "a_b-0.bin"));
    expect(paths.map((path) => JSON.parse(readFileSync(path, "utf8")))).toEqual(ids);
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
    const result = await client.t2i.submit({ model: "alibaba/qwen-image-2.0", prompt: "three foxes", n: 3 }).wait();
    const progress: string[] = [];
    const files = await download(result, join(dir, "out"), { onProgress: (p) => progress.push(`${p.index}:${p.bytes}/${p.total}`) });
    expect(files.map((file) => file.path)).toEqual([0, 1, 2].map((i) => join(dir, "out", `${result.id}-${i}.png`)));
    expect(readdirSync(join(dir, "out")).sort()).toEqual(files.map((file) => `${result.id}-${files.indexOf(file)}.png`).sort());
    for (const file of files) expect([...readFileSync(file.path).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(files[0]?.bytes).toBe(readFileSync(files[0]?.path ?? "").byteLength);
    expect(progress).toHaveLength(3);
  });

  it("download(task, dir) waits for the task first; saveTo(resource, path) writes one file", async () => {
    const client = await start();
    const task = await client.i2v.submit({ prompt: "the fox runs", first_frame_image: "https://example.com/a.png" });
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
    expect(file?.path).toMatch(/[/\\]evil_id~[0-9a-f]{10}-0\.exe$/);
    expect(readdirSync(dir)).toEqual([basename(file?.path ?? "")]);
    expect(readFileSync(file?.path ?? "", "utf8")).toBe("payload");
  });

  it("after 7 days a download is a TaskExpiredError and writes nothing", async () => {
    const client = await start();
    const result = await client.t2i.submit({ prompt: "x" }).wait();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + WEEK + 1000);
    const error = await download(result, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskExpiredError);
    expect((error as TaskExpiredError).taskId).toBe(result.id);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, `${result.id}-0.png`))).toBe(false);
  });
});
