import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FakeModellix, type FakeServer, createFakeServer } from "../../src/testing/index.js";
import { call, envelope, submit } from "./support.js";

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
  it("serves the API on 127.0.0.1 under /api/v1", async () => {
    const { url, origin, fake } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(url).toBe(`${origin}/api/v1`);
    const response = await submit(fetch, "t2i", "bytedance/seedream-4-5-t2i", { prompt: "x" }, url);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("x-ratelimit-limit")).toBe("600");
    const data = (await envelope(response)).data as { task_id: string; get_result: { url: string } };
    expect(data.get_result.url).toBe(`${url}/tasks/${data.task_id}`);
    const read = await call(fetch, `/tasks/${data.task_id}`, {}, url);
    expect((await envelope(read)).data).toMatchObject({ task_id: data.task_id, status: "pending" });
    expect(fake.requests[0]).toMatchObject({ method: "POST", body: { prompt: "x" }, status: 200 });
    expect(fake.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("answers 401 without Bearer and 204 to preflights", async () => {
    const { url } = await start();
    expect((await fetch(`${url}/models`, { headers: { Authorization: "k" } })).status).toBe(401);
    const preflight = await fetch(`${url}/models`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
  });

  it("destroys the socket on reset, creating nothing", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "reset" });
    await expect(submit(fetch, "t2i", "a/b", { prompt: "x" }, url)).rejects.toThrow(TypeError);
    expect(fake.tasks).toHaveLength(0);
    expect((await call(fetch, "/models", {}, url)).status).toBe(200);
    fake.inject({ kind: "reset" });
    await expect(call(fetch, "/models", {}, url)).rejects.toThrow(TypeError);
    expect(fake.countRequests({ path: "/models" })).toBe(2);
  });

  it("creates the task, then destroys the socket, on reset-after-create", async () => {
    const { url, fake } = await start();
    fake.inject({ kind: "reset-after-create" });
    await expect(submit(fetch, "t2i", "a/b", { prompt: "x" }, url)).rejects.toThrow(TypeError);
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
    const data = (await envelope(await submit(fetch, "t2i", "a/b", { prompt: "x" }, url))).data as { task_id: string };
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

  it("serves a given fake on a given base path", async () => {
    const fake = new FakeModellix({ basePath: "/v2/" });
    const { url } = await start({ fake });
    expect(url.endsWith("/v2")).toBe(true);
    expect((await call(fetch, "/models", {}, url)).status).toBe(200);
  });
});
