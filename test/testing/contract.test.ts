/**
 * The contract of ../shared/API.md (the real Modellix API), replayed against the
 * fake over both of its transports: a real HTTP server (createFakeServer) and msw
 * handlers. Plain fetch only, no SDK: every request and answer below is one the
 * document (or a source it cites) shows.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeModellix, type FakeModellixOptions, type FakeServer, createFakeServer } from "../../src/testing/index.js";
import { createFakeHandlers } from "../../src/testing/msw.js";

const KEY = "contract-key";
const DAY = 24 * 60 * 60 * 1000;

/** A running fake: the SDK's base URL (an origin) and the fake behind it. */
interface Running {
  base: string;
  fake: FakeModellix;
}

interface Transport {
  name: string;
  setup(): void;
  start(options: FakeModellixOptions): Promise<Running>;
}

let httpServer: FakeServer | undefined;
const mswServer = setupServer();

const transports: Transport[] = [
  {
    name: "createFakeServer (HTTP on 127.0.0.1)",
    setup: () =>
      afterEach(async () => {
        await httpServer?.close();
        httpServer = undefined;
      }),
    start: async (options) => {
      httpServer = await createFakeServer(options);
      return { base: httpServer.url, fake: httpServer.fake };
    },
  },
  {
    name: "createFakeHandlers (msw)",
    setup: () => {
      beforeAll(() => mswServer.listen({ onUnhandledRequest: "error" }));
      afterEach(() => mswServer.resetHandlers());
      afterAll(() => mswServer.close());
    },
    start: async (options) => {
      const fake = new FakeModellix(options);
      const base = "https://api.modellix.test";
      mswServer.use(...createFakeHandlers(fake, { baseURL: base }));
      return { base, fake };
    },
  },
];

describe.each(transports)("API.md contract over $name", (transport) => {
  transport.setup();

  /** The fake's clock: tests move it by hand, no wall-clock time involved. */
  let now = 0;
  let base = "";
  let fake: FakeModellix;

  beforeEach(async () => {
    now = Date.parse("2026-06-01T00:00:00Z");
    ({ base, fake } = await transport.start({ clock: { now: () => now } }));
  });

  /** GET with the key (none when `key` is null). */
  const get = (path: string, key: string | null = KEY) =>
    fetch(`${base}${path}`, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
  const data = async (response: Response) => (await json(response)).data as Record<string, unknown>;

  it("submit: POST /api/v1/{provider}/{model_id} answers { status: pending, task_id, model_id, get_result }", async () => {
    // The docs' REST API page example (the /async form of the same call is checked below).
    const response = await post("/api/v1/alibaba/qwen-image-plus", { prompt: "A cute cat playing in a garden on a sunny day" });
    expect(response.status).toBe(200);
    const body = await json(response);
    const taskId = (body.data as { task_id: string }).task_id;
    expect(body).toEqual({
      code: 0,
      message: "success",
      data: {
        status: "pending",
        task_id: taskId,
        model_id: "qwen-image-plus",
        get_result: { method: "GET", url: `${base}/api/v1/tasks/${taskId}` },
      },
    });
    expect(taskId).toEqual(expect.any(String));
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/alibaba/qwen-image-plus", body: { prompt: expect.any(String) } });
  });

  it("submit: the /async alias answers the same", async () => {
    const response = await post("/api/v1/alibaba/qwen-image-plus/async", { prompt: "A cute cat playing in a garden on a sunny day" });
    expect(await data(response)).toEqual({
      status: "pending",
      task_id: expect.any(String),
      model_id: "qwen-image-plus",
      get_result: { method: "GET", url: expect.stringMatching(/\/api\/v1\/tasks\/[^/]+$/) },
    });
  });

  it("model ids keep their dots; the doc spelling is not a valid API path; not every dash is a lost dot", async () => {
    fake.configure({ maxConcurrentTasks: 100 });
    const accepted: Array<[string, Record<string, unknown>]> = [
      ["bytedance/seedream-4.5-t2i", { prompt: "a lighthouse at dawn" }],
      ["alibaba/wan2.6-t2v", { prompt: "waves" }],
      ["kling/kling-v2.1-i2v", { image: "https://example.com/cat.png" }],
      ["alibaba/qwen-image-edit-plus-2025-10-30", { prompt: "make it blue", images: ["https://example.com/a.png"] }],
      ["minimax/hailuo-02-t2v", { prompt: "a storm" }],
      ["kling/kolors-virtual-try-on-v1-5", { human_image: "https://example.com/h.png", cloth_image: "https://example.com/c.png" }],
    ];
    for (const [slug, body] of accepted) expect((await post(`/api/v1/${slug}`, body)).status, slug).toBe(200);
    const docSpelling = await post("/api/v1/bytedance/seedream-4-5-t2i", { prompt: "a lighthouse at dawn" });
    expect(docSpelling.status).toBe(404);
    expect(await json(docSpelling)).toEqual({ code: 404, message: expect.stringMatching(/^Not Found: /) });
  });

  it("history: the typed submit paths (short or long type names) no longer exist", async () => {
    for (const path of ["/api/v1/t2i/bytedance/seedream-4.5-t2i/async", "/api/v1/text-to-image/bytedance/seedream-4.5-t2i/async"]) {
      const response = await post(path, { prompt: "x" });
      expect(response.status, path).toBe(404);
      expect(await json(response)).toEqual({ code: 404, message: expect.stringMatching(/^Not Found: /) });
    }
    expect(fake.tasks).toHaveLength(0);
  });

  it("request parameters are per model: each family's own size, ratio, resolution case and image fields", async () => {
    fake.configure({ maxConcurrentTasks: 100 });
    const accepted: Array<[string, Record<string, unknown>]> = [
      ["bytedance/seedream-4.5-t2i", { prompt: "x", size: "2048x2048" }],
      ["alibaba/wan2.7-image", { prompt: "x", size: "1024*1024" }],
      ["google/nano-banana-2", { prompt: "x", aspectRatio: "16:9", imageSize: "1K" }],
      ["bytedance/seedance-2.0-fast-i2v", { prompt: "x", first_frame_image: "https://example.com/a.png", ratio: "16:9", resolution: "720p" }],
      ["alibaba/happyhorse-1.0-i2v", { first_frame_image: "https://example.com/a.png", resolution: "720P" }],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: ["https://example.com/a.png", "https://example.com/b.png"] }],
    ];
    for (const [slug, body] of accepted) expect((await post(`/api/v1/${slug}`, body)).status, slug).toBe(200);
    const refused: Array<[string, Record<string, unknown>, string]> = [
      ["bytedance/seedream-4.5-t2i", { size: "2048x2048" }, "Missing required parameter: parameter 'prompt' is required"],
      ["bytedance/seedream-4.5-t2i", { prompt: "x", size: "1024*1024" }, "Invalid format: parameter 'size'"],
      ["bytedance/seedance-2.0-fast-i2v", { prompt: "x", resolution: "720P" }, "Invalid parameters: parameter 'resolution'"],
      ["alibaba/happyhorse-1.0-i2v", { first_frame_image: "https://example.com/a.png", resolution: "720p" }, "Invalid parameters: parameter 'resolution'"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: Array(15).fill("https://example.com/a.png") }, "Value out of range: parameter 'image'"],
      ["alibaba/wan2.7-i2v", { prompt: "x" }, "Missing required parameter: one of parameters 'first_frame' or 'first_clip' is required"],
    ];
    for (const [slug, body, message] of refused) {
      const response = await post(`/api/v1/${slug}`, body);
      expect(response.status, `${slug} ${JSON.stringify(body)}`).toBe(400);
      const envelope = await json(response);
      expect(envelope).toEqual({ code: 400, message: expect.any(String) });
      expect(envelope.message).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    }
  });

  it("task: pending → processing → success with resources, extensions and result_expires_at (ms); 404 after it", async () => {
    const submitted = await data(await post("/api/v1/bytedance/seedream-4.5-t2i", { prompt: "a lighthouse at dawn", size: "2048x2048" }));
    const taskId = submitted.task_id as string;
    const read = async () => data(await get(`/api/v1/tasks/${encodeURIComponent(taskId)}`));
    expect(await read()).toMatchObject({ task_id: taskId, status: "pending", model_id: "seedream-4.5-t2i" });
    now += 1000;
    expect((await read()).status).toBe("processing");
    now += 60_000;
    const done = await read();
    expect(done).toEqual({
      task_id: taskId,
      status: "success",
      model_id: "seedream-4.5-t2i",
      result: {
        resources: [{ url: expect.stringMatching(/^https?:\/\//), type: "image", width: 2048, height: 2048, format: "png" }],
        extensions: { submit_time: expect.any(Number), end_time: expect.any(Number) },
      },
      result_expires_at: expect.any(Number),
    });
    const expiresAt = done.result_expires_at as number;
    expect(expiresAt).toBeGreaterThan(now);
    expect(expiresAt).toBeLessThanOrEqual(now + 7 * DAY);
    const url = ((done.result as { resources: Array<{ url: string }> }).resources[0] as { url: string }).url;
    expect((await fetch(url)).headers.get("content-type")).toBe("image/png");
    now = expiresAt;
    const expired = await get(`/api/v1/tasks/${encodeURIComponent(taskId)}`);
    expect(expired.status).toBe(404);
    expect(await json(expired)).toEqual({ code: 404, message: expect.stringMatching(/^Not Found: /) });
  });

  it("task: a failed task keeps its details (message, error, code) in a 200 read", async () => {
    const taskId = (await data(await post("/api/v1/bytedance/seedream-4.5-t2i", { prompt: "[fail]" }))).task_id as string;
    now += 60_000;
    const read = await get(`/api/v1/tasks/${taskId}`);
    expect(read.status).toBe(200);
    expect(await data(read)).toMatchObject({ task_id: taskId, status: "failed", message: expect.any(String), code: expect.any(String), error: expect.any(Object) });
  });

  it("task: resources may be audio; speech-to-text reports text", async () => {
    const tts = (await data(await post("/api/v1/alibaba/qwen-audio-3.0-tts-flash", { text: "hello", voice: "Cherry" }))).task_id as string;
    const stt = (await data(await post("/api/v1/openai/whisper-1", { url: "https://example.com/speech.mp3" }))).task_id as string;
    now += 60_000;
    const speech = await data(await get(`/api/v1/tasks/${tts}`));
    expect(speech.result).toMatchObject({ resources: [{ url: expect.any(String), type: "audio" }] });
    const transcript = await data(await get(`/api/v1/tasks/${stt}`));
    expect(transcript.result).toMatchObject({ resources: [], metadata: { text: expect.any(String) } });
  });

  it("models: GET /api/v1/models is not enveloped, with long types; ?featured=true filters", async () => {
    const response = await get("/api/v1/models");
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(Object.keys(body)).toEqual(["models"]);
    const models = body.models as Array<Record<string, unknown>>;
    // The shape of the vendor CLI's fixture: { slug, type: "text-to-image", docs_url, description }.
    expect(models).toContainEqual({
      slug: "google/nano-banana-2",
      type: "text-to-image",
      docs_url: "https://docs.modellix.ai/google/nano-banana-2",
      description: expect.any(String),
    });
    const longTypes = ["text-to-image", "image-to-image", "text-to-video", "image-to-video", "video-to-video", "text-to-speech", "speech-to-text", "speech-to-speech"];
    for (const model of models) expect(longTypes).toContain(model.type);
    const featured = (await json(await get("/api/v1/models?featured=true"))).models as unknown[];
    expect(featured.length).toBeGreaterThan(0);
    expect(featured.length).toBeLessThan(models.length);
  });

  it("apikey/validate: { is_valid } in the envelope; an invalid key gets 200 with false, a missing one 401", async () => {
    expect(await json(await get("/api/v1/apikey/validate"))).toEqual({ code: 0, message: "success", data: { is_valid: true } });
    fake.configure({ apiKeys: [KEY] });
    const invalid = await get("/api/v1/apikey/validate", "not-a-key");
    expect(invalid.status).toBe(200);
    expect(await json(invalid)).toEqual({ code: 0, message: "success", data: { is_valid: false } });
    const missing = await get("/api/v1/apikey/validate", null);
    expect(missing.status).toBe(401);
    expect(await json(missing)).toEqual({ code: 401, message: expect.stringMatching(/^Authentication failed: /) });
  });

  it("team/balance: { balance: number }", async () => {
    fake.configure({ balance: 12.3456 });
    expect(await json(await get("/api/v1/team/balance"))).toEqual({ code: 0, message: "success", data: { balance: 12.3456 } });
  });

  it("media files: multipart upload (field file), list, delete; the url serves the bytes", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }), "cat.png");
    const uploaded = await fetch(`${base}/api/v1/media/files`, { method: "POST", headers: { Authorization: `Bearer ${KEY}` }, body: form });
    expect(uploaded.status).toBe(200);
    const file = await data(uploaded);
    expect(file).toEqual({
      file_id: expect.any(String),
      url: expect.stringMatching(/^https?:\/\//),
      type: "image",
      filename: "cat.png",
      size: 4,
      created_at: expect.any(String),
    });
    expect((await fetch(file.url as string)).status).toBe(200);
    const listed = await data(await get("/api/v1/media/files"));
    expect(listed).toEqual({ files: [file] });
    const deleted = await fetch(`${base}/api/v1/media/files/${encodeURIComponent(file.file_id as string)}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(deleted.status).toBe(200);
    expect(await data(await get("/api/v1/media/files"))).toEqual({ files: [] });
  });

  it("errors: code equals the HTTP status and message is 'Category: detail', for every documented status", async () => {
    const expected: Array<[number, string]> = [
      [400, "Invalid parameters"],
      [401, "Authentication failed"],
      [402, "Payment Required"],
      [403, "Forbidden"],
      [404, "Not Found"],
      [429, "Too Many Requests"],
      [500, "Internal Server Error"],
      [503, "Service Unavailable"],
    ];
    for (const [status] of expected) fake.inject({ kind: "status", status });
    for (const [status, category] of expected) {
      const response = await get("/api/v1/team/balance");
      expect(response.status).toBe(status);
      const body = await json(response);
      expect(body).toEqual({ code: status, message: expect.any(String) });
      expect(body.message).toMatch(new RegExp(`^${category}: .+`));
    }
    const missing = await post("/api/v1/bytedance/seedream-4.5-t2i", {});
    expect(await json(missing)).toEqual({ code: 400, message: "Missing required parameter: parameter 'prompt' is required" });
    const outOfRange = await post("/api/v1/alibaba/wan2.6-t2v", { prompt: "x", duration: 20 });
    expect(await json(outOfRange)).toEqual({ code: 400, message: "Value out of range: parameter 'duration' must be between 2 and 15, got 20" });
    const badFormat = await post("/api/v1/alibaba/wan2.7-image", { prompt: "x", size: "1024" });
    expect(await json(badFormat)).toEqual({
      code: 400,
      message: "Invalid format: parameter 'size' must be in format '1K', '2K' or 'WIDTH*HEIGHT' (e.g. '1024*1024'), got '1024'",
    });
    const noKey = await get("/api/v1/team/balance", null);
    expect(await json(noKey)).toEqual({ code: 401, message: "Authentication failed: missing API key" });
  });

  it("rate limits: X-RateLimit-Limit, -Remaining and -Reset in Unix seconds", async () => {
    const response = await get("/api/v1/team/balance");
    const limit = Number(response.headers.get("x-ratelimit-limit"));
    const remaining = Number(response.headers.get("x-ratelimit-remaining"));
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    expect(limit).toBeGreaterThan(0);
    expect(remaining).toBe(limit - 1);
    expect(reset).toBeGreaterThan(now / 1000);
    expect(reset).toBeLessThanOrEqual(now / 1000 + 60);
  });

  it("concurrent tasks are limited per team (typically 3): the 4th submit gets 429 until a task ends", async () => {
    for (let i = 0; i < 3; i++) expect((await post("/api/v1/bytedance/seedream-4.5-t2i", { prompt: `${i}` })).status).toBe(200);
    const refused = await post("/api/v1/bytedance/seedream-4.5-t2i", { prompt: "3" });
    expect(refused.status).toBe(429);
    expect(await json(refused)).toEqual({ code: 429, message: expect.stringMatching(/^Too Many Requests: .*concurrent task limit/) });
    now += 60_000;
    expect((await post("/api/v1/bytedance/seedream-4.5-t2i", { prompt: "3" })).status).toBe(200);
  });

  it("every path segment is URL-encoded: nothing a caller passes changes the path", async () => {
    const read = await get(`/api/v1/tasks/${encodeURIComponent("../models")}`);
    expect(read.status).toBe(404);
    expect(fake.requests[0]).toMatchObject({ route: "task", path: "/api/v1/tasks/../models" });
    const submitted = await post(`/api/v1/bytedance/${encodeURIComponent("seedream-4.5-t2i/../../models")}`, { prompt: "x" });
    expect(submitted.status).toBe(404);
    expect(fake.requests[1]).toMatchObject({ route: "submit" });
  });
});
