import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FakeModellix, type FakeServer, createFakeServer } from "../../src/testing/index.js";
import { IMAGE_MODEL, call, envelope, submit, upload } from "./support.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: Parameters<typeof createFakeServer>[0]): Promise<FakeServer> {
  server = await createFakeServer(options);
  return server;
}

/** Sends a request with the path exactly as written (no client-side normalisation). */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers: { Authorization: "Bearer k" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("createFakeServer", () => {
  it("serves the API on 127.0.0.1 under /api/v1, its url being the origin", async () => {
    const { url, origin, fake } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).toBe(origin);
    const response = await submit(fetch, IMAGE_MODEL, { prompt: "x" }, { base: url });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("x-ratelimit-limit")).toBe("600");
    const data = (await envelope(response)).data as { task_id: string; get_result: { url: string } };
    expect(data.get_result.url).toBe(`${url}/api/v1/tasks/${data.task_id}`);
    const read = await call(fetch, `/tasks/${data.task_id}`, {}, url);
    expect((await envelope(read)).data).toMatchObject({ task_id: data.task_id, status: "pending" });
    expect(fake.requests[0]).toMatchObject({ method: "POST", body: { prompt: "x" }, status: 200 });
    expect(fake.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("answers 401 without Bearer and 204 to preflights", async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/v1/models`, { headers: { Authorization: "k" } })).status).toBe(401);
    const preflight = await fetch(`${url}/api/v1/models`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
  });

  it("destroys the socket on reset, creating nothing", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "reset" });
    await expect(submit(fetch, IMAGE_MODEL, { prompt: "x" }, { base: url })).rejects.toThrow(TypeError);
    expect(fake.tasks).toHaveLength(0);
    expect((await call(fetch, "/models", {}, url)).status).toBe(200);
    fake.inject({ kind: "reset" });
    await expect(call(fetch, "/models", {}, url)).rejects.toThrow(TypeError);
    expect(fake.countRequests({ path: "/models" })).toBe(2);
  });

  it("creates the task, then destroys the socket, on reset-after-create", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "reset-after-create" });
    await expect(submit(fetch, IMAGE_MODEL, { prompt: "x" }, { base: url })).rejects.toThrow(TypeError);
    expect(fake.tasks).toHaveLength(1);
  });

  it("really waits on delay", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "delay", ms: 120 });
    const started = performance.now();
    expect((await call(fetch, "/models", {}, url)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("stops waiting when the client gives up, and closes despite a hanging request", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "hang" });
    const error = await call(fetch, "/models", { signal: AbortSignal.timeout(50) }, url).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError" });
    fake.inject({ kind: "hang" });
    const orphan = call(fetch, "/models", {}, url).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server?.close();
    expect(await orphan).toBeInstanceOf(TypeError);
  });

  it("closes idle keep-alive connections", async () => {
    const { url } = await start();
    await (await call(fetch, "/models", {}, url)).arrayBuffer();
    const started = performance.now();
    await server?.close();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("serves generated files with type and length", async () => {
    const { url, origin } = await start({ pendingMs: 0, durationMs: 0 });
    const data = (await envelope(await submit(fetch, IMAGE_MODEL, { prompt: "x" }, { base: url }))).data as { task_id: string };
    const read = (await envelope(await call(fetch, `/tasks/${data.task_id}`, {}, url))).data as {
      result: { resources: Array<{ url: string }> };
    };
    const fileURL = read.result.resources[0]?.url ?? "";
    expect(fileURL).toBe(`${origin}/files/${data.task_id}/0.png`);
    const file = await fetch(fileURL);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Number(file.headers.get("content-length"))).toBe((await file.arrayBuffer()).byteLength);
  });

  it("keeps encoded and raw dot segments inside the task id", async () => {
    const { url, origin, fake } = await start();
    const encoded = await call(fetch, "/tasks/a%2F..%2Fb", {}, url);
    expect(encoded.status).toBe(404);
    expect((await envelope(encoded)).message).toBe("Not Found: Task not found");
    const raw = await rawGet(origin, "/api/v1/tasks/../models");
    expect(raw.status).toBe(404);
    expect(JSON.parse(raw.body)).toMatchObject({ message: "Not Found: Unknown endpoint" });
    const dotted = await rawGet(origin, "/api/v1/tasks/..");
    expect(JSON.parse(dotted.body)).toMatchObject({ message: "Not Found: Task not found" });
    expect(fake.requests.map((r) => r.rawPath)).toEqual(["/api/v1/tasks/a%2F..%2Fb", "/api/v1/tasks/../models", "/api/v1/tasks/.."]);
  });

  it("serves a given fake under its prefix", async () => {
    const fake = new FakeModellix({ prefix: "/api/modellix" });
    const { url, origin } = await start({ fake });
    expect(url).toBe(`${origin}/api/modellix`);
    expect((await call(fetch, "/models", {}, url)).status).toBe(200);
    expect((await call(fetch, "/models", {}, origin)).status).toBe(404);
  });

  it("takes multipart uploads over HTTP and serves them back, refusing oversized ones", async () => {
    const { url, fake } = await start({ maxUploadBytes: 1024 });
    const small = await envelope(await upload(fetch, new Blob([new Uint8Array(1024)], { type: "video/mp4" }), "clip.mp4", url));
    const { url: fileURL, type } = small.data as { url: string; type: string };
    expect(type).toBe("video");
    const back = await fetch(fileURL);
    expect([back.status, back.headers.get("content-type"), (await back.arrayBuffer()).byteLength]).toEqual([200, "video/mp4", 1024]);
    const big = await upload(fetch, new Blob([new Uint8Array(1025)], { type: "video/mp4" }), "big.mp4", url);
    expect(big.status).toBe(413);
    expect(fake.files).toHaveLength(1);
  });
});
