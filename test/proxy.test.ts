import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Modellix, { NotFoundError, PermissionDeniedError, SubmitOutcomeUnknownError } from "modellix";
import { type ProxyOptions, createProxy, toNodeHandler } from "modellix/proxy";
import { FakeModellix, type FakeModellixOptions } from "modellix/testing";
import { drive, driveToError, secretKey } from "./helpers.js";

const upstream = "https://api.modellix.test/api/v1";
const page = "https://app.example.test";
const slug = "bytedance/seedream-4-5-t2i";

/** A fake Modellix that accepts only the server's key, and a proxy in front of it. */
function setupProxy(options: ProxyOptions = {}, fakeOptions: FakeModellixOptions = {}) {
  const fake = new FakeModellix({ apiKeys: [secretKey], ...fakeOptions });
  const proxy = createProxy({ apiKey: secretKey, baseURL: upstream, fetch: fake.fetch, ...options });
  return { fake, proxy };
}

/** The browser's client: no key, the proxy's path as base URL, every request handled by `proxy`. */
function browserClient(proxy: (request: Request) => Promise<Response>): Modellix {
  return new Modellix({
    baseURL: `${page}/api/modellix`,
    fetch: (input, init) => proxy(new Request(input, init)),
    maxRetries: 2,
    logLevel: "off",
  });
}

function call(proxy: (request: Request) => Promise<Response>, path: string, init: RequestInit = {}): Promise<Response> {
  return proxy(new Request(`${page}${path}`, init));
}

const submitInit = (body: unknown = { prompt: "a lighthouse" }, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("createProxy", () => {
  it("lets a key-less client submit and wait, adding the server's key", async () => {
    const { fake, proxy } = setupProxy();
    const result = await drive(browserClient(proxy).textToImage({ model: slug, prompt: "a lighthouse" }).wait());
    expect(result.resources[0]?.url).toMatch(/^https:\/\/api\.modellix\.test\/files\/.+\/0\.png$/);
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    expect(fake.requests.every((r) => r.status === 200 && r.headers.authorization === "Bearer ***")).toBe(true);
  });

  it("reads the key from MODELLIX_API_KEY, and answers 500 without one", async () => {
    const fake = new FakeModellix({ apiKeys: [secretKey] });
    vi.stubEnv("MODELLIX_API_KEY", secretKey);
    const proxy = createProxy({ baseURL: upstream, fetch: fake.fetch });
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit())).status).toBe(200);
    vi.stubEnv("MODELLIX_API_KEY", "");
    const missing = await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit());
    expect(missing.status).toBe(500);
    expect(await missing.json()).toMatchObject({ message: expect.stringContaining("set MODELLIX_API_KEY") });
    expect(fake.countRequests()).toBe(1);
  });

  it("never forwards the browser's Authorization, cookies or other headers", async () => {
    const { fake, proxy } = setupProxy();
    const headers = { authorization: "Bearer browser-key", cookie: "session=abc", "x-forwarded-for": "10.0.0.1", "x-custom": "1" };
    const response = await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit({ prompt: "a fox" }, headers));
    expect(response.status).toBe(200);
    const seen = fake.requests[0]?.headers ?? {};
    expect(seen.authorization).toBe("Bearer ***");
    expect(Object.keys(seen).sort()).toEqual(["accept", "authorization", "content-type"]);
    expect(fake.requests[0]?.body).toEqual({ prompt: "a fox" });
  });

  it("passes on the status, body and rate-limit headers, but not cookies or CORS headers", async () => {
    const { fake, proxy } = setupProxy();
    const id = ((await (await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit())).json()) as { data: { task_id: string } }).data.task_id;
    fake.inject({ kind: "status", status: 429, headers: { "Set-Cookie": "upstream=1", "Retry-After": "7" } });
    const limited = await call(proxy, `/api/modellix/tasks/${encodeURIComponent(id)}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("x-ratelimit-limit")).toBe("600");
    expect(limited.headers.get("x-request-id")).toMatch(/^req-/);
    expect(limited.headers.get("set-cookie")).toBeNull();
    expect(limited.headers.get("access-control-allow-origin")).toBeNull();
    const read = await call(proxy, `/api/modellix/tasks/${encodeURIComponent(id)}`);
    expect(await read.json()).toMatchObject({ code: 0, data: { task_id: id } });
  });

  it("forwards only submits and task reads: other paths 404, other methods 405", async () => {
    const { fake, proxy } = setupProxy();
    for (const path of ["/api/modellix/models", "/api/modellix/apikey/validate", "/api/modellix/team/balance", "/api/modellix", "/api/v1/tasks/t", "/api/modellix/other/a/b/async", "/api/modellix/t2i/a/async"]) {
      expect((await call(proxy, path)).status, path).toBe(404);
    }
    const wrongMethod = await call(proxy, "/api/modellix/tasks/t", { method: "POST", body: "{}" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`)).status).toBe(405);
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`, { method: "DELETE" })).status).toBe(405);
    expect(fake.countRequests()).toBe(0);
  });

  it("keeps an encoded task id inside its segment", async () => {
    const { fake, proxy } = setupProxy();
    const response = await call(proxy, "/api/modellix/tasks/..%2Fmodels%3Fx");
    expect(response.status).toBe(404);
    expect(fake.requests[0]?.rawPath).toBe("/api/v1/tasks/..%2Fmodels%3Fx");
    expect((await call(proxy, "/api/modellix/tasks/%2E%2E")).status).toBe(404);
    expect(fake.countRequests()).toBe(1);
  });

  it("answers a key-less client's missing task with a NotFoundError", async () => {
    const { proxy } = setupProxy();
    const error = await driveToError(browserClient(proxy).tasks.retrieve("task-gone").status());
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it("refuses bodies over maxBodyBytes with 413, declared or streamed, and non-JSON bodies with 400", async () => {
    const { fake, proxy } = setupProxy({ maxBodyBytes: 100 });
    const big = { prompt: "x".repeat(200) };
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit(big))).status).toBe(413);
    const bytes = new TextEncoder().encode(JSON.stringify(big));
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 32) controller.enqueue(bytes.slice(i, i + 32));
        controller.close();
      },
    });
    const chunked = await call(proxy, `/api/modellix/t2i/${slug}/async`, { method: "POST", body: streamed, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ code: 413, message: expect.stringMatching(/^Payload Too Large/) });
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`, { method: "POST", body: "[1,2]" })).status).toBe(400);
    expect((await call(proxy, `/api/modellix/t2i/${slug}/async`, { method: "POST", body: "not json" })).status).toBe(400);
    expect(fake.countRequests()).toBe(0);
  });

  it("asks authorize() first: false is 403, a throw is 401, a Response is sent as is", async () => {
    const seen: string[] = [];
    const { fake, proxy } = setupProxy({
      authorize: (request) => {
        const cookie = request.headers.get("cookie") ?? "";
        seen.push(cookie);
        if (cookie === "") throw new Error("no session");
        if (cookie === "session=banned") return false;
        if (cookie === "session=slow") return new Response("wait", { status: 429 });
        return true;
      },
    });
    const path = `/api/modellix/t2i/${slug}/async`;
    const status = async (cookie: string) => (await call(proxy, path, submitInit({ prompt: "x" }, cookie ? { cookie } : {}))).status;
    expect([await status(""), await status("session=banned"), await status("session=slow"), await status("session=ok")]).toEqual([401, 403, 429, 200]);
    expect(seen).toEqual(["", "session=banned", "session=slow", "session=ok"]);
    expect(fake.countRequests()).toBe(1);
    const denied = await driveToError(browserClient(createProxy({ apiKey: secretKey, baseURL: upstream, fetch: fake.fetch, authorize: () => false })).textToImage({ prompt: "x" }));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
  });

  it("never puts the key in a response, even when Modellix echoes it", async () => {
    const { fake, proxy } = setupProxy();
    fake.inject({ kind: "status", status: 401, message: `Unauthorized: key ${secretKey} is not valid` });
    const response = await call(proxy, `/api/modellix/t2i/${slug}/async`, submitInit());
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text).toContain("[redacted]");
    expect(text).not.toContain(secretKey);
    for (const fault of [{ kind: "reset" }, { kind: "refuse" }, { kind: "malformed-json" }] as const) {
      fake.inject(fault);
      const failed = await call(proxy, "/api/modellix/tasks/t");
      expect(`${[...failed.headers].join()} ${await failed.text()}`).not.toContain(secretKey);
    }
  });

  it("answers 503 when Modellix was not reached, so the SDK safely retries a paid submit; 502 otherwise", async () => {
    const { fake, proxy } = setupProxy();
    fake.inject({ kind: "refuse" }, { match: { method: "POST" } });
    const task = await drive(browserClient(proxy).textToImage({ model: slug, prompt: "a fox" }));
    expect(task.id).toMatch(/^task-/);
    expect(fake.tasks).toHaveLength(1);
    fake.inject({ kind: "reset-after-create" }, { match: { method: "POST" } });
    const error = await driveToError(browserClient(proxy).textToImage({ model: slug, prompt: "a fox" }));
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect((error as SubmitOutcomeUnknownError).status).toBe(502);
    expect(fake.countRequests({ method: "POST" })).toBe(3);
  });

  it("serves a prefix of your choice, and GET and POST for a Next.js route file", async () => {
    const { proxy } = setupProxy({ prefix: "/modellix/" });
    const { GET, POST } = proxy;
    expect((await POST(new Request(`${page}/modellix/t2i/${slug}/async`, submitInit()))).status).toBe(200);
    expect((await GET(new Request(`${page}/modellix/tasks/task-unknown`))).status).toBe(404);
    expect((await GET(new Request(`${page}/api/modellix/tasks/task-unknown`))).status).toBe(404);
  });

  it("refuses a plain-http Modellix base URL other than localhost", () => {
    expect(() => createProxy({ apiKey: secretKey, baseURL: "http://api.modellix.ai/api/v1" })).toThrow(/https/);
  });
});

describe("toNodeHandler", () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  /** Serves `handler` on 127.0.0.1, passing Express-style `originalUrl` with the mount path stripped from `url` when `mount` is set. */
  async function serve(handler: ReturnType<typeof toNodeHandler>, mount = "") {
    const server = createServer((req, res) => {
      const originalUrl = req.url ?? "/";
      if (mount) req.url = originalUrl.slice(mount.length);
      void handler(Object.assign(req, { originalUrl }), res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("runs the proxy in Node's http server (and under an Express mount path)", async () => {
    const { fake, proxy } = setupProxy({}, { pendingMs: 0, durationMs: 0 });
    const { origin, close } = await serve(toNodeHandler(proxy), "/api/modellix");
    try {
      const client = new Modellix({ baseURL: `${origin}/api/modellix`, pollInterval: { initialMs: 5 }, logLevel: "off" });
      const result = await client.textToImage({ model: slug, prompt: "a lighthouse" }).wait();
      expect(result.resources).toHaveLength(1);
      expect(fake.countRequests({ method: "POST" })).toBe(1);
    } finally {
      await close();
    }
  });

  it("stops reading a streamed body at the limit", async () => {
    const { fake, proxy } = setupProxy({ maxBodyBytes: 1000 });
    const { origin, close } = await serve(toNodeHandler(proxy));
    try {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`{"prompt":"${"x".repeat(5000)}"}`));
          controller.close();
        },
      });
      const response = await fetch(`${origin}/api/modellix/t2i/${slug}/async`, { method: "POST", body: chunks, duplex: "half" } as RequestInit);
      expect(response.status).toBe(413);
      expect(fake.countRequests()).toBe(0);
    } finally {
      await close();
    }
  });
});
