import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ProxyOptions, createProxy, toNodeHandler } from "modellix/proxy";
import { FakeModellix } from "modellix/testing";
import Modellix, { ModellixError, PermissionDeniedError, ValidationError } from "modellix";

/** The server's key; every test checks that it never reaches the browser. */
const secretKey = "mlx-test-9f8e7d6c5b4a-secret";

/** The Modellix API as msw serves it here; the page's own origin. */
const upstream = "https://api.modellix.test";
const page = "https://app.example.test";
/** What the browser client requests: its baseURL (the proxy's prefix), then the real API path. */
const api = (path: string) => `/api/modellix/api/v1${path}`;

/** Every request that reached the upstream, in order (clones, so bodies can be read). */
const received: Request[] = [];

/** A small Modellix: answers the routes the proxy forwards (and the ones it must not), only for the server's key. */
const modellix = [
  http.all(`${upstream}/*`, ({ request }) => {
    received.push(request.clone());
    if (request.headers.get("authorization") !== `Bearer ${secretKey}`) {
      return HttpResponse.json({ code: 401, message: "Unauthorized: invalid API key", data: null }, { status: 401 });
    }
  }),
  http.get(`${upstream}/api/v1/tasks/:id`, ({ params }) =>
    envelope({ task_id: params.id, status: "success", result: { resources: [{ url: `${upstream}/files/${params.id}.png`, type: "image" }] } }),
  ),
  http.get(`${upstream}/api/v1/models`, () => HttpResponse.json({ models: [{ slug: "bytedance/seedream-4.5-t2i", type: "text-to-image" }] })),
  http.get(`${upstream}/api/v1/media/files`, () => envelope({ files: [{ file_id: "file-1", url: "https://x.test/1.png" }, { file_id: "file-2", url: "https://x.test/2.png" }] })),
  http.post(`${upstream}/api/v1/media/files`, async ({ request }) => {
    const file = (await request.formData()).get("file");
    if (!(file instanceof File)) return HttpResponse.json({ code: 400, message: "Bad Request: file is required", data: null }, { status: 400 });
    return envelope({ file_id: "file-1", url: `${upstream}/media/file-1`, type: file.type, filename: file.name, size: file.size, created_at: 1 });
  }),
  http.delete(`${upstream}/api/v1/media/files/:id`, () => new HttpResponse(null, { status: 204 })),
  http.get(`${upstream}/api/v1/apikey/validate`, () => envelope({ is_valid: true })),
  http.get(`${upstream}/api/v1/team/balance`, () => envelope({ balance: 12.5 })),
  http.post(`${upstream}/api/v1/:provider/:model{/async}?`, ({ params }) =>
    envelope({ status: "pending", task_id: "task-1", model_id: `${params.provider}/${params.model}` }, { "x-request-id": "req-1", "x-ratelimit-remaining": "99" }),
  ),
];

function envelope(data: unknown, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ code: 0, message: "success", data }, { headers });
}

const server = setupServer(...modellix);
beforeAll(() => {
  // The real local servers below (127.0.0.1) are reached for real; anything else unhandled fails the test.
  server.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === "127.0.0.1" ? undefined : print.error()) });
});
afterEach(() => {
  server.resetHandlers();
  received.length = 0;
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
afterAll(() => {
  server.close();
});

function proxyWith(options: ProxyOptions = {}) {
  return createProxy({ apiKey: secretKey, baseURL: upstream, ...options });
}

/** A request to the proxy from the page at `page`, as the browser client sends it. */
function call(proxy: (request: Request) => Promise<Response>, path: string, init: RequestInit = {}): Promise<Response> {
  return proxy(new Request(`${page}${path}`, init));
}

const jsonPost = (body: unknown = { prompt: "a lighthouse" }, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

function uploadPost(form: FormData, headers: Record<string, string> = {}): RequestInit {
  const request = new Request(page, { method: "POST", body: form });
  return { method: "POST", headers: { "content-type": request.headers.get("content-type") ?? "", ...headers }, body: request.body, duplex: "half" } as RequestInit;
}

/** A body sent in chunks with no Content-Length, as a streaming browser upload is. */
function chunked(bytes: Uint8Array, size = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** The path and query of each request that reached Modellix. */
const reached = () => received.map((request) => `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`);

describe("the routes the browser client needs", () => {
  it("forwards a submit, and its /async alias, to the real API path with the server's key", async () => {
    const proxy = proxyWith();
    const response = await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "a fox", size: "2048x2048" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ code: 0, data: { task_id: "task-1", model_id: "bytedance/seedream-4.5-t2i" } });
    expect((await call(proxy, api("/bytedance/seedream-4.5-t2i/async"), jsonPost())).status).toBe(200);
    expect(received.map((request) => request.url)).toEqual([
      `${upstream}/api/v1/bytedance/seedream-4.5-t2i`,
      `${upstream}/api/v1/bytedance/seedream-4.5-t2i/async`,
    ]);
    expect(await received[0]?.json()).toEqual({ prompt: "a fox", size: "2048x2048" });
  });

  it("forwards task reads, the model list (featured only) and media-file listing and deletion within the file scope", async () => {
    const proxy = proxyWith({ fileScope: () => ["file-1"] });
    const task = await call(proxy, api("/tasks/task-1"));
    expect(await task.json()).toMatchObject({ data: { task_id: "task-1", status: "success" } });
    const models = await call(proxy, api("/models?featured=true&limit=5&x=%2F"));
    expect(await models.json()).toEqual({ models: [{ slug: "bytedance/seedream-4.5-t2i", type: "text-to-image" }] });
    expect((await call(proxy, api("/models"))).status).toBe(200);
    const listed = await call(proxy, api("/media/files"));
    expect(await listed.json()).toMatchObject({ data: { files: [{ file_id: "file-1" }] } });
    const deleted = await call(proxy, api("/media/files/file-1"), { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(reached()).toEqual([
      "GET /api/v1/tasks/task-1",
      "GET /api/v1/models?featured=true",
      "GET /api/v1/models",
      "GET /api/v1/media/files",
      "DELETE /api/v1/media/files/file-1",
    ]);
  });

  it("without a fileScope, no user may list or delete the team's uploads; with one, nobody reaches another user's files", async () => {
    const open = proxyWith();
    expect((await call(open, api("/media/files"))).status).toBe(403);
    expect((await call(open, api("/media/files/file-1"), { method: "DELETE" })).status).toBe(403);
    expect(reached()).toEqual([]);
    const scoped = proxyWith({ fileScope: async (request) => (request.headers.get("cookie") === "user=a" ? ["file-2"] : []) });
    const mine = await call(scoped, api("/media/files"), { headers: { cookie: "user=a" } });
    expect((await mine.json()).data.files.map((file: { file_id: string }) => file.file_id)).toEqual(["file-2"]);
    expect((await call(scoped, api("/media/files/file-1"), { method: "DELETE", headers: { cookie: "user=a" } })).status).toBe(404);
    const other = await call(scoped, api("/media/files"), { headers: { cookie: "user=b" } });
    expect((await other.json()).data.files).toEqual([]);
    expect(reached()).toEqual(["GET /api/v1/media/files", "GET /api/v1/media/files"]);
  });

  it("forwards an upload as multipart with the file intact, and nothing but the file", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], "cat.png", { type: "image/png" }));
    form.append("purpose", "smuggled");
    const response = await call(proxyWith(), api("/media/files"), uploadPost(form));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { file_id: "file-1", filename: "cat.png", type: "image/png", size: 7 } });
    const sent = await received[0]?.formData();
    expect([...(sent?.keys() ?? [])]).toEqual(["file"]);
    const file = sent?.get("file") as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
  });

  it("forwards nothing else: key checks, the balance, old routes and other paths answer 404", async () => {
    const proxy = proxyWith();
    const paths = [
      [api("/apikey/validate"), "GET"],
      [api("/team/balance"), "GET"],
      [api("/apikey/validate"), "POST"],
      [api("/team/balance"), "POST"],
      [api("/tasks/task-1/async"), "POST"],
      [api("/models/async"), "POST"],
      [api("/t2i/bytedance/seedream-4.5-t2i/async"), "POST"],
      [api("/bytedance/seedream-4.5-t2i/async/extra"), "POST"],
      [api("/tasks/task-1/result"), "GET"],
      [api("/media/files/file-1/raw"), "GET"],
      [api("/tasks"), "GET"],
      [api(""), "GET"],
      ["/api/modellix/tasks/task-1", "GET"],
      ["/api/modellix/t2i/bytedance/seedream-4.5-t2i/async", "POST"],
      ["/api/modellix/api/v2/tasks/task-1", "GET"],
      ["/api/v1/tasks/task-1", "GET"],
      ["/api/modellix", "GET"],
    ] as const;
    for (const [path, method] of paths) {
      const response = await call(proxy, path, method === "POST" ? jsonPost() : {});
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ code: 404, message: expect.stringMatching(/^Not Found: /) });
    }
    expect(received).toHaveLength(0);
  });

  it("answers 405 with Allow for a method a route does not take", async () => {
    const proxy = proxyWith();
    const cases = [
      [api("/bytedance/seedream-4.5-t2i"), "GET", "POST"],
      [api("/tasks/task-1"), "POST", "GET"],
      [api("/tasks/task-1"), "DELETE", "GET"],
      [api("/media/files"), "DELETE", "GET, POST"],
      [api("/media/files/file-1"), "GET", "DELETE"],
      [api("/models"), "PUT", "GET"],
    ] as const;
    for (const [path, method, allow] of cases) {
      const response = await call(proxy, path, { method, ...(method === "POST" || method === "PUT" ? { body: "{}" } : {}) });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
    }
    expect(received).toHaveLength(0);
  });

  it("keeps every segment inside its place: encoded slashes, dot segments and odd characters answer 404", async () => {
    const proxy = proxyWith();
    const tasks = ["a%2F..%2F..%2Fapikey%2Fvalidate", "..%2Fmodels", "%2e%2e", "%2E%2E%2Fteam%2Fbalance", "a%5C..%5Cb", "a%3Fx%3D1", "a%23x", "a%00", "%E0%A4%A", ".hidden", "a%40evil.test", "a%3A443", "a b", "x".repeat(257)];
    for (const id of tasks) expect((await call(proxy, api(`/tasks/${id}`))).status, id).toBe(404);
    for (const model of ["bytedance/..%2F..%2Fapikey%2Fvalidate", "bytedance%2Fseedream/x", "..%2Fteam/balance", "%2E/x", "bytedance/.", "bytedance//seedream"]) {
      expect((await call(proxy, api(`/${model}`), jsonPost())).status, model).toBe(404);
    }
    expect((await call(proxy, api("/media/files/..%2F..%2Fteam%2Fbalance"), { method: "DELETE" })).status).toBe(404);
    expect(received).toHaveLength(0);
    // Characters a client may encode needlessly are decoded once, then sent as they are.
    expect((await call(proxy, api("/bytedance/seedream-4%2E5-t2i"), jsonPost())).status).toBe(200);
    expect(received[0]?.url).toBe(`${upstream}/api/v1/bytedance/seedream-4.5-t2i`);
  });
});

describe("the key and the browser's headers", () => {
  it("sends the server's key and nothing of the browser's request but the body", async () => {
    const headers = { authorization: "Bearer browser-key", cookie: "session=abc", "x-forwarded-for": "10.0.0.1", "x-custom": "1" };
    const response = await call(proxyWith(), `${api("/bytedance/seedream-4.5-t2i")}?debug=1`, jsonPost({ prompt: "a fox" }, headers));
    expect(response.status).toBe(200);
    const sent = received[0];
    expect(sent?.url).toBe(`${upstream}/api/v1/bytedance/seedream-4.5-t2i`);
    expect(sent?.headers.get("authorization")).toBe(`Bearer ${secretKey}`);
    expect([...(sent?.headers.keys() ?? [])].filter((name) => !["content-length", "user-agent", "accept-encoding", "accept-language", "sec-fetch-mode", "connection", "host"].includes(name)).sort()).toEqual([
      "accept",
      "authorization",
      "content-type",
    ]);
  });

  it("scrubs a key Modellix echoes in a header or the body, and passes on only the headers the SDK reads", async () => {
    server.use(
      http.get(`${upstream}/api/v1/tasks/:id`, () =>
        HttpResponse.json(
          { code: 401, message: `Unauthorized: key ${secretKey} is not valid`, data: { echoed: encodeURIComponent(secretKey) } },
          {
            status: 401,
            headers: {
              "x-request-id": `req-${secretKey}`,
              "x-ratelimit-remaining": "7",
              "x-ratelimit-reset": "1764400000",
              "retry-after": "3",
              "x-debug-auth": `Bearer ${secretKey}`,
              "set-cookie": "upstream=1",
              "access-control-allow-origin": "*",
              "www-authenticate": `Bearer realm="${secretKey}"`,
            },
          },
        ),
      ),
    );
    const response = await call(proxyWith(), api("/tasks/task-1"));
    expect(response.status).toBe(401);
    expect(Object.fromEntries(response.headers)).toEqual({
      "cache-control": "no-store",
      "content-type": "application/json",
      "retry-after": "3",
      "x-content-type-options": "nosniff",
      "x-ratelimit-remaining": "7",
      "x-ratelimit-reset": "1764400000",
      "x-request-id": "req-[redacted]",
    });
    const text = await response.text();
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain(encodeURIComponent(secretKey));
    expect(JSON.parse(text)).toMatchObject({ message: "Unauthorized: key [redacted] is not valid", data: { echoed: "[redacted]" } });
  });

  it("reads the key from MODELLIX_API_KEY on each request, and answers 500 without a usable one", async () => {
    vi.stubEnv("MODELLIX_API_KEY", secretKey);
    const proxy = createProxy({ baseURL: upstream });
    expect((await call(proxy, api("/tasks/task-1"))).status).toBe(200);
    for (const key of ["", "two words", "line\nbreak"]) {
      vi.stubEnv("MODELLIX_API_KEY", key);
      const missing = await call(proxy, api("/tasks/task-1"));
      expect(missing.status).toBe(500);
      expect(await missing.json()).toMatchObject({ message: expect.stringContaining("set MODELLIX_API_KEY") });
    }
    expect(received).toHaveLength(1);
  });
});

describe("cross-site requests", () => {
  it("refuses a cross-site text/plain POST and forwards nothing", async () => {
    const proxy = proxyWith();
    const forged = await call(proxy, api("/bytedance/seedream-4.5-t2i"), {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://evil.test", "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ prompt: "spend their balance" }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 403, message: expect.stringMatching(/^Forbidden: /) });
    expect(received).toHaveLength(0);
  });

  it("refuses Sec-Fetch-Site: cross-site and an Origin of another host, on every route", async () => {
    const proxy = proxyWith();
    const refused: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.test" },
      { origin: "https://app.example.test.evil.test" },
      { origin: "https://app.example.test:8443" },
      { origin: "null" },
      { origin: "not an origin" },
    ];
    for (const headers of refused) {
      expect((await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "x" }, headers))).status, JSON.stringify(headers)).toBe(403);
      expect((await call(proxy, api("/tasks/task-1"), { headers })).status).toBe(403);
      expect((await call(proxy, api("/media/files/file-1"), { method: "DELETE", headers })).status).toBe(403);
    }
    expect(received).toHaveLength(0);
  });

  it("lets the page's own origin, allowedOrigins and server-side callers through", async () => {
    const proxy = proxyWith({ allowedOrigins: ["https://www.example.test/"] });
    const allowed: Record<string, string>[] = [
      {},
      { origin: page, "sec-fetch-site": "same-origin" },
      { origin: "http://app.example.test" },
      { origin: "https://www.example.test", "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "none" },
    ];
    for (const headers of allowed) {
      expect((await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "x" }, headers))).status, JSON.stringify(headers)).toBe(200);
    }
    expect(received).toHaveLength(allowed.length);
  });

  it("takes a submit only as application/json and an upload only as multipart/form-data (415)", async () => {
    const proxy = proxyWith();
    const body = JSON.stringify({ prompt: "x" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", ""]) {
      const response = await call(proxy, api("/bytedance/seedream-4.5-t2i"), { method: "POST", headers: type ? { "content-type": type } : {}, body });
      expect(response.status, type).toBe(415);
      expect(await response.json()).toMatchObject({ code: 415, message: expect.stringContaining("application/json") });
    }
    expect((await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "x" }, { "content-type": "Application/JSON; charset=utf-8" }))).status).toBe(200);
    expect((await call(proxy, api("/media/files"), jsonPost({ file: "https://x.test/cat.png" }))).status).toBe(415);
    expect((await call(proxy, api("/media/files"), { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })).status).toBe(415);
    expect(received).toHaveLength(1);
  });
});

describe("limits", () => {
  it("refuses JSON bodies over maxBodyBytes with 413, declared or streamed, and non-object bodies with 400", async () => {
    const proxy = proxyWith({ maxBodyBytes: 100 });
    const big = new TextEncoder().encode(JSON.stringify({ prompt: "x".repeat(200) }));
    expect((await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost(new TextDecoder().decode(big)))).status).toBe(413);
    const streamed = await call(proxy, api("/bytedance/seedream-4.5-t2i"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunked(big, 32),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: 413, message: expect.stringMatching(/^Payload Too Large/) });
    for (const body of ["[1,2]", "not json", "null", '"text"', ""]) {
      expect((await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost(body))).status, body).toBe(400);
    }
    expect(received).toHaveLength(0);
  });

  it("refuses an upload over maxUploadBytes (default 20 MiB) on its Content-Length and while it streams", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(24 * 1024 * 1024)], "big.bin", { type: "application/octet-stream" }));
    const bytes = new Uint8Array(await new Request(page, { method: "POST", body: form }).arrayBuffer());
    const type = new Request(page, { method: "POST", body: form }).headers.get("content-type") ?? "";
    const proxy = proxyWith();
    const declared = await call(proxy, api("/media/files"), { method: "POST", headers: { "content-type": type, "content-length": String(bytes.length) } });
    expect(declared.status).toBe(413);
    let pulled = 0;
    const stream = chunked(bytes).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const streamed = await call(proxy, api("/media/files"), { method: "POST", headers: { "content-type": type }, body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ message: `Payload Too Large: the body exceeds ${20 * 1024 * 1024} bytes` });
    expect(pulled).toBeLessThan(bytes.length);
    expect(received).toHaveLength(0);
  });

  it("answers 400 when the browser's body breaks off", async () => {
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('{"prompt":'));
        controller.error(new Error("connection reset"));
      },
    });
    const response = await call(proxyWith(), api("/bytedance/seedream-4.5-t2i"), { method: "POST", headers: { "content-type": "application/json" }, body: broken, duplex: "half" } as RequestInit);
    expect(response.status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it("answers 400 for an upload without one file in the field `file`", async () => {
    const proxy = proxyWith();
    const noFile = new FormData();
    noFile.append("image", new File(["x"], "x.png"));
    const asText = new FormData();
    asText.append("file", "https://example.test/cat.png");
    const twoFiles = new FormData();
    twoFiles.append("file", new File(["a"], "a.png"));
    twoFiles.append("file", new File(["b"], "b.png"));
    for (const form of [noFile, asText, twoFiles]) expect((await call(proxy, api("/media/files"), uploadPost(form))).status).toBe(400);
    const broken = await call(proxy, api("/media/files"), { method: "POST", headers: { "content-type": "multipart/form-data; boundary=zzz" }, body: "garbage" });
    expect(broken.status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it("answers 504 in the API's envelope when Modellix does not answer within the timeout (default 60 s)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.post(`${upstream}/api/v1/:provider/:model`, () => {
        arrived();
        return new Promise<Response>(() => undefined);
      }),
    );
    const pending = call(proxyWith(), api("/bytedance/seedream-4.5-t2i"), jsonPost());
    let settled = false;
    void pending.then(() => (settled = true));
    await inFlight;
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    const response = await pending;
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ code: 504, message: "Gateway Timeout: Modellix did not answer the proxy within 60000 ms", data: null });
  });

  it("counts the timeout over the whole answer: a body that stalls after the headers answers 504", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.get(`${upstream}/api/v1/tasks/:id`, () => {
        arrived();
        const stalled = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"code":0,')) });
        return new HttpResponse(stalled, { headers: { "content-type": "application/json" } });
      }),
    );
    const pending = call(proxyWith({ timeout: 5_000 }), api("/tasks/task-1"));
    let settled = false;
    void pending.then(() => (settled = true));
    await inFlight;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(settled).toBe(true);
    expect((await pending).status).toBe(504);
  });

  it("answers 502 when the answer is larger than maxResponseBytes (default 8 MiB), declared or streamed", async () => {
    const huge = JSON.stringify({ code: 0, message: "success", data: { blob: "y".repeat(9 * 1024 * 1024) } });
    server.use(http.get(`${upstream}/api/v1/tasks/:id`, () => new HttpResponse(chunked(new TextEncoder().encode(huge)), { headers: { "content-type": "application/json" } })));
    const streamed = await call(proxyWith(), api("/tasks/task-1"));
    expect(streamed.status).toBe(502);
    expect(await streamed.json()).toMatchObject({ code: 502, message: expect.stringContaining("maxResponseBytes (8388608)") });
    const small = JSON.stringify({ code: 0, message: "success", data: { blob: "y".repeat(2000) } });
    server.use(http.get(`${upstream}/api/v1/tasks/:id`, () => new HttpResponse(small, { headers: { "content-type": "application/json", "content-length": String(small.length) } })));
    expect((await call(proxyWith({ maxResponseBytes: 1000 }), api("/tasks/task-1"))).status).toBe(502);
    expect((await call(proxyWith({ maxResponseBytes: small.length }), api("/tasks/task-1"))).status).toBe(200);
  });

  it("refuses options that would disable or break a limit", () => {
    const bad: ProxyOptions[] = [
      { timeout: Number.POSITIVE_INFINITY },
      { timeout: Number.NaN },
      { timeout: 0 },
      { timeout: -1 },
      { timeout: 2 ** 31 },
      { timeout: 1.5 },
      { maxResponseBytes: 0 },
      { maxUploadBytes: Number.POSITIVE_INFINITY },
      { maxBodyBytes: -5 },
      { allowedOrigins: ["app.example.test"] },
      { allowedOrigins: ["https://app.example.test/path"] },
      { allowedOrigins: ["javascript:alert(1)"] },
    ];
    for (const options of bad) expect(() => proxyWith(options), JSON.stringify(options)).toThrow(ValidationError);
    expect(() => proxyWith({ timeout: Number.NaN, maxUploadBytes: 0 })).toThrow("Invalid proxy options: timeout: must be a whole number of ms from 1 to 2147483647; maxUploadBytes: must be a whole number of bytes, 1 or more");
    expect(() => proxyWith({ timeout: 2 ** 31 - 1, maxResponseBytes: 1 })).not.toThrow();
  });
});

/** A real HTTP server on 127.0.0.1 standing in for Modellix, recording what reached it. */
async function localUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const local = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
  return { origin, hits, close: () => new Promise<void>((resolve) => local.close(() => resolve())) };
}

describe("redirects and connection failures (a real local upstream)", () => {
  it.each([301, 302, 303, 307, 308])("does not follow a %i: a paid POST is neither sent again nor turned into a GET (502)", async (status) => {
    const modellixLike = await localUpstream((req, res) => {
      if (req.url?.startsWith("/api/v1/")) res.writeHead(status, { location: "/elsewhere" }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"code":0,"message":"success","data":{"task_id":"other"}}');
    });
    try {
      const response = await call(proxyWith({ baseURL: modellixLike.origin }), api("/bytedance/seedream-4.5-t2i"), jsonPost());
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ code: 502, message: expect.stringContaining("redirect") });
      expect(response.headers.get("location")).toBeNull();
      expect(modellixLike.hits).toEqual(["POST /api/v1/bytedance/seedream-4.5-t2i"]);
    } finally {
      await modellixLike.close();
    }
  });

  it("answers 503 when Modellix was not reached (the SDK may retry even a submit), 502 when the connection broke after sending", async () => {
    const closed = await localUpstream(() => undefined);
    await closed.close();
    const refused = await call(proxyWith({ baseURL: closed.origin }), api("/bytedance/seedream-4.5-t2i"), jsonPost());
    expect(refused.status).toBe(503);
    const resetting = await localUpstream((req) => req.socket.destroy());
    try {
      const reset = await call(proxyWith({ baseURL: resetting.origin }), api("/bytedance/seedream-4.5-t2i"), jsonPost());
      expect(reset.status).toBe(502);
      expect(`${[...reset.headers].join()} ${await reset.text()}`).not.toContain(secretKey);
    } finally {
      await resetting.close();
    }
  });
});

describe("createProxy options", () => {
  it("asks authorize() after the route and origin checks: false is 403, a throw is 401, a Response is sent as is", async () => {
    const seen: string[] = [];
    const proxy = proxyWith({
      authorize: (request) => {
        const cookie = request.headers.get("cookie") ?? "";
        seen.push(cookie);
        if (cookie === "") throw new Error("no session");
        if (cookie === "session=banned") return false;
        if (cookie === "session=slow") return new Response("wait", { status: 429 });
        return true;
      },
    });
    const status = async (cookie: string) => (await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "x" }, cookie ? { cookie } : {}))).status;
    expect([await status(""), await status("session=banned"), await status("session=slow"), await status("session=ok")]).toEqual([401, 403, 429, 200]);
    expect(await (await call(proxy, api("/apikey/validate"), { headers: { cookie: "session=ok" } })).status).toBe(404);
    expect((await call(proxy, api("/tasks/t"), { headers: { cookie: "session=ok", origin: "https://evil.test" } })).status).toBe(403);
    expect(seen).toEqual(["", "session=banned", "session=slow", "session=ok"]);
    expect(received).toHaveLength(1);
  });

  it("serves a prefix of your choice, and GET, POST and DELETE for a Next.js route file", async () => {
    const { GET, POST, DELETE } = proxyWith({ prefix: "/modellix/", fileScope: () => ["file-1"] });
    expect((await POST(new Request(`${page}/modellix/api/v1/bytedance/seedream-4.5-t2i`, jsonPost()))).status).toBe(200);
    expect((await GET(new Request(`${page}/modellix/api/v1/tasks/task-1`))).status).toBe(200);
    expect((await DELETE(new Request(`${page}/modellix/api/v1/media/files/file-1`, { method: "DELETE" }))).status).toBe(204);
    expect((await GET(new Request(`${page}/api/modellix/api/v1/tasks/task-1`))).status).toBe(404);
    const atRoot = proxyWith({ prefix: "/" });
    expect((await atRoot(new Request(`${page}/api/v1/tasks/task-1`))).status).toBe(200);
  });

  it("takes an origin as baseURL (a trailing /api/v1 too), and refuses plain http other than localhost", async () => {
    await call(proxyWith({ baseURL: `${upstream}/api/v1/` }), api("/tasks/task-1"));
    vi.stubEnv("MODELLIX_BASE_URL", upstream);
    await call(createProxy({ apiKey: secretKey }), api("/tasks/task-2"));
    expect(received.map((request) => request.url)).toEqual([`${upstream}/api/v1/tasks/task-1`, `${upstream}/api/v1/tasks/task-2`]);
    expect(() => createProxy({ apiKey: secretKey, baseURL: "http://api.modellix.ai" })).toThrow(ModellixError);
    expect(() => createProxy({ apiKey: secretKey, baseURL: "http://127.0.0.1:8080" })).not.toThrow();
  });
});

describe("toNodeHandler", () => {
  /** Serves `handler` on 127.0.0.1, passing Express-style `originalUrl` with the mount path stripped from `url` when `mount` is set. */
  async function serve(handler: ReturnType<typeof toNodeHandler>, mount = "") {
    const local = createServer((req, res) => {
      const originalUrl = req.url ?? "/";
      if (mount) req.url = originalUrl.slice(mount.length);
      void handler(Object.assign(req, { originalUrl }), res);
    });
    await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
    return { origin, close: () => new Promise<void>((resolve) => local.close(() => resolve())) };
  }

  it("runs the proxy in Node's http server (and under an Express mount path): submit, read, upload, delete", async () => {
    const { origin, close } = await serve(toNodeHandler(proxyWith({ fileScope: () => ["file-1"] })), "/api/modellix");
    try {
      const submitted = await fetch(`${origin}${api("/bytedance/seedream-4.5-t2i")}`, jsonPost({ prompt: "a lighthouse" }));
      expect(await submitted.json()).toMatchObject({ data: { task_id: "task-1" } });
      expect(submitted.headers.get("x-request-id")).toBe("req-1");
      expect((await fetch(`${origin}${api("/tasks/task-1")}`)).status).toBe(200);
      const form = new FormData();
      form.append("file", new File(["png"], "cat.png", { type: "image/png" }));
      const uploaded = await fetch(`${origin}${api("/media/files")}`, { method: "POST", body: form });
      expect(await uploaded.json()).toMatchObject({ data: { filename: "cat.png", size: 3 } });
      expect((await fetch(`${origin}${api("/media/files/file-1")}`, { method: "DELETE" })).status).toBe(204);
      expect(reached()).toEqual(["POST /api/v1/bytedance/seedream-4.5-t2i", "GET /api/v1/tasks/task-1", "POST /api/v1/media/files", "DELETE /api/v1/media/files/file-1"]);
    } finally {
      await close();
    }
  });

  it("compares Origin with the Host the request was sent to, which a request-target cannot change", async () => {
    const { origin, close } = await serve(toNodeHandler(proxyWith()));
    try {
      expect((await fetch(`${origin}${api("/tasks/task-1")}`, { headers: { origin } })).status).toBe(200);
      expect((await fetch(`${origin}${api("/tasks/task-1")}`, { headers: { origin: "http://evil.test" } })).status).toBe(403);
      const smuggled = await fetch(`${origin}//evil.test${api("/tasks/task-1")}`, { headers: { origin: "http://evil.test" } });
      expect(smuggled.status).toBe(404);
      expect(received).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("stops reading a streamed body at the limit", async () => {
    const { origin, close } = await serve(toNodeHandler(proxyWith({ maxBodyBytes: 1000 })));
    try {
      const body = chunked(new TextEncoder().encode(`{"prompt":"${"x".repeat(5000)}"}`), 512);
      const response = await fetch(`${origin}${api("/bytedance/seedream-4.5-t2i")}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(received).toHaveLength(0);
    } finally {
      await close();
    }
  });
});

describe("in front of modellix/testing's fake", () => {
  it("carries a page's whole session: submit, task read to success, model list, upload, list, delete", async () => {
    const fake = new FakeModellix({ apiKeys: [secretKey], pendingMs: 0, durationMs: 0 });
    const uploads: string[] = []; // the app's own record of this user's uploads
    const proxy = createProxy({ apiKey: secretKey, baseURL: "https://api.modellix.ai", fetch: fake.fetch, fileScope: () => uploads });
    const submitted = await call(proxy, api("/bytedance/seedream-4.5-t2i"), jsonPost({ prompt: "a lighthouse", size: "2048x2048" }));
    const taskId = ((await submitted.json()) as { data: { task_id: string } }).data.task_id;
    const task = await call(proxy, api(`/tasks/${encodeURIComponent(taskId)}`));
    expect(await task.json()).toMatchObject({ code: 0, data: { task_id: taskId, status: "success" } });
    const models = (await (await call(proxy, api("/models"))).json()) as { models: { slug: string }[] };
    expect(models.models.map((model) => model.slug)).toContain("bytedance/seedream-4.5-t2i");
    const form = new FormData();
    form.append("file", new File([new Uint8Array([137, 80, 78, 71])], "cat.png", { type: "image/png" }));
    const uploaded = (await (await call(proxy, api("/media/files"), uploadPost(form))).json()) as { data: { file_id: string; filename: string } };
    expect(uploaded.data.filename).toBe("cat.png");
    uploads.push(uploaded.data.file_id);
    expect((await call(proxy, api("/media/files"))).status).toBe(200);
    expect((await call(proxy, api(`/media/files/${encodeURIComponent(uploaded.data.file_id)}`), { method: "DELETE" })).status).toBeLessThan(300);
    expect(fake.requests.map((request) => `${request.method} ${request.route}`)).toEqual(["POST submit", "GET task", "GET models", "POST media-files", "GET media-files", "DELETE media-file"]);
    expect(fake.requests.every((request) => request.status < 300)).toBe(true);
  });

  it("serves the SDK's key-less browser client: submit and wait, a typed error for a refused request", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fake = new FakeModellix({ apiKeys: [secretKey], pendingMs: 0, durationMs: 0 });
    const proxy = createProxy({ apiKey: secretKey, baseURL: "https://api.modellix.ai", fetch: fake.fetch, authorize: (request) => request.headers.get("cookie") === "session=ok" });
    const browserClient = (cookie: string) =>
      new Modellix({
        baseURL: `${page}/api/modellix`,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const headers = new Headers(request.headers);
          headers.set("cookie", cookie);
          return proxy(new Request(request, { headers }));
        },
        logLevel: "off",
      });
    const task = await browserClient("session=ok").textToImage({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" });
    const waiting = task.wait();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await waiting).resources).toHaveLength(1);
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    await expect(browserClient("session=banned").tasks.retrieve(task.id).status()).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(fake.requests.every((request) => request.status === 200)).toBe(true);
  });
});
