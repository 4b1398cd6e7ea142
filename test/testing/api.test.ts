import { describe, expect, it } from "vitest";
import { DEFAULT_FAKE_MODELS, FakeModellix } from "../../src/testing/index.js";
import { API, IMAGE_MODEL, ORIGIN, call, envelope, submit } from "./support.js";

describe("FakeModellix endpoints", () => {
  it("answers a submit in the envelope, with a get_result URL on the request's origin", async () => {
    const fake = new FakeModellix();
    const response = await submit(fake.fetch, IMAGE_MODEL, { prompt: "a cat", size: "2048x2048" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^req-\d+$/);
    const body = await envelope(response);
    expect(body).toMatchObject({ code: 0, message: "success" });
    const data = body.data as Record<string, unknown>;
    expect(data.task_id).toMatch(/^task-1-[a-z0-9]+$/);
    expect(data).toEqual({
      status: "pending",
      task_id: data.task_id,
      model_id: "seedream-4.5-t2i",
      get_result: { method: "GET", url: `${API}/tasks/${data.task_id}` },
    });
    expect(fake.tasks[0]).toMatchObject({ model: IMAGE_MODEL, type: "text-to-image", output: "image", viaAlias: false });
  });

  it("accepts the /async alias the same way", async () => {
    const fake = new FakeModellix();
    const response = await submit(fake.fetch, IMAGE_MODEL, { prompt: "a cat" }, { alias: true });
    expect(response.status).toBe(200);
    expect((await envelope(response)).data).toMatchObject({ status: "pending", model_id: "seedream-4.5-t2i" });
    expect(fake.tasks[0]).toMatchObject({ model: IMAGE_MODEL, viaAlias: true });
    expect(fake.requests[0]).toMatchObject({ route: "submit", path: `/api/v1/${IMAGE_MODEL}/async` });
  });

  it("answers 404 to the old typed paths, the doc spelling and unknown models", async () => {
    const fake = new FakeModellix();
    const cases: Array<[string, string]> = [
      ["/t2i/bytedance/seedream-4.5-t2i/async", "Not Found: Model not found: t2i/bytedance/seedream-4.5-t2i"],
      ["/text-to-image/bytedance/seedream-4.5-t2i/async", "Not Found: Model not found: text-to-image/bytedance/seedream-4.5-t2i"],
      ["/bytedance/seedream-4-5-t2i", "Not Found: Model not found: bytedance/seedream-4-5-t2i"],
      ["/bytedance/seedream-4-5-t2i/async", "Not Found: Model not found: bytedance/seedream-4-5-t2i"],
      ["/skyreels/skyreels-i2v", "Not Found: Model not found: skyreels/skyreels-i2v"],
      ["/acme/nothing", "Not Found: Model not found: acme/nothing"],
      ["/bytedance/seedream-3.0-t2i", "Not Found: Model not found: bytedance/seedream-3.0-t2i"],
    ];
    for (const [path, message] of cases) {
      const response = await call(fake.fetch, path, { method: "POST", body: JSON.stringify({ prompt: "x" }) });
      expect(response.status, path).toBe(404);
      expect(await envelope(response)).toEqual({ code: 404, message });
    }
    expect(fake.tasks).toHaveLength(0);
  });

  it("accepts unknown well-formed models when strictModels is off, guessing their type, but not doc spellings", async () => {
    const fake = new FakeModellix({ strictModels: false, pendingMs: 0, durationMs: 0 });
    expect((await submit(fake.fetch, "acme/brand-new-t2v", { prompt: "x" })).status).toBe(200);
    expect((await submit(fake.fetch, "acme/brand-new", { prompt: "x" })).status).toBe(200);
    expect((await submit(fake.fetch, "acme/brand-new", { prompt: 3 })).status).toBe(400);
    expect(fake.tasks.map((task) => [task.model, task.type, task.output])).toEqual([
      ["acme/brand-new-t2v", "text-to-video", "video"],
      ["acme/brand-new", "text-to-image", "image"],
    ]);
    expect((await submit(fake.fetch, "bytedance/seedream-4-5-t2i", { prompt: "x" })).status).toBe(404);
  });

  it("knows only the configured models when given a list", async () => {
    const fake = new FakeModellix({ models: [{ slug: "acme/one", type: "text-to-image" }] });
    expect((await submit(fake.fetch, "acme/one", { prompt: "x" })).status).toBe(200);
    expect((await submit(fake.fetch, IMAGE_MODEL, { prompt: "x" })).status).toBe(404);
  });

  it("requires a Bearer key", async () => {
    const fake = new FakeModellix();
    for (const authorization of [undefined, "test-key", "Basic dGVzdA==", "Bearer "]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
      const response = await fake.fetch(`${API}/models`, { headers });
      expect(response.status).toBe(401);
      expect(await envelope(response)).toEqual({ code: 401, message: "Authentication failed: missing API key" });
    }
  });

  it("accepts only the configured keys; /apikey/validate answers 200 is_valid false for the others", async () => {
    const fake = new FakeModellix({ apiKeys: ["good"] });
    const good = await call(fake.fetch, "/apikey/validate", { headers: { Authorization: "Bearer good" } });
    expect(await envelope(good)).toEqual({ code: 0, message: "success", data: { is_valid: true } });
    const bad = await call(fake.fetch, "/apikey/validate", { headers: { Authorization: "Bearer bad" } });
    expect(bad.status).toBe(200);
    expect(await envelope(bad)).toEqual({ code: 0, message: "success", data: { is_valid: false } });
    const refused = await call(fake.fetch, "/models", { headers: { Authorization: "Bearer bad" } });
    expect(await envelope(refused)).toEqual({ code: 401, message: "Authentication failed: invalid API key" });
    const missing = await fake.fetch(`${API}/apikey/validate`);
    expect(missing.status).toBe(401);
    expect((await envelope(missing)).message).toBe("Authentication failed: missing API key");
  });

  it("answers the balance, and 402 on submits while it is exhausted", async () => {
    const fake = new FakeModellix({ balance: 0 });
    expect(await envelope(await call(fake.fetch, "/team/balance"))).toEqual({ code: 0, message: "success", data: { balance: 0 } });
    const response = await submit(fake.fetch, IMAGE_MODEL, { prompt: "x" });
    expect(response.status).toBe(402);
    expect(await envelope(response)).toEqual({ code: 402, message: "Payment Required: Insufficient balance" });
    fake.configure({ balance: 12.5 });
    expect((await envelope(await call(fake.fetch, "/team/balance"))).data).toEqual({ balance: 12.5 });
  });

  it("lists the catalog's models without an envelope, with long types, docs_url and description", async () => {
    const fake = new FakeModellix();
    const response = await call(fake.fetch, "/models");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { models: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(["models"]);
    expect(body.models).toHaveLength(DEFAULT_FAKE_MODELS.length);
    expect(body.models.length).toBeGreaterThan(200);
    expect(body.models).toContainEqual({
      slug: "bytedance/seedream-4.5-t2i",
      type: "text-to-image",
      docs_url: "https://docs.modellix.ai/bytedance/seedream-4-5-t2i",
      description: expect.any(String),
    });
    const types = new Set(body.models.map((model) => model.type));
    expect([...types].sort()).toEqual([
      "image-to-image",
      "image-to-video",
      "speech-to-speech",
      "speech-to-text",
      "text-to-image",
      "text-to-speech",
      "text-to-video",
      "video-to-video",
    ]);
  });

  it("filters featured models, and lists custom models with their extra fields", async () => {
    const fake = new FakeModellix({
      models: [
        { slug: "acme/one", type: "text-to-image", featured: true, description: "One", extra: { price: 0.04 } },
        { slug: "acme/two-1.5", docsSlug: "acme/two-1-5", type: "text-to-speech" },
      ],
    });
    const featured = (await (await call(fake.fetch, "/models?featured=true")).json()) as { models: unknown[] };
    expect(featured.models).toEqual([
      { slug: "acme/one", type: "text-to-image", docs_url: "https://docs.modellix.ai/acme/one", description: "One", price: 0.04 },
    ]);
    const all = (await (await call(fake.fetch, "/models")).json()) as { models: Array<{ slug: string; docs_url: string }> };
    expect(all.models.map((model) => [model.slug, model.docs_url])).toEqual([
      ["acme/one", "https://docs.modellix.ai/acme/one"],
      ["acme/two-1.5", "https://docs.modellix.ai/acme/two-1-5"],
    ]);
  });

  it("paginates GET /models when asked for page or page_size, and lists everything otherwise", async () => {
    const fake = new FakeModellix({ models: Array.from({ length: 5 }, (_, index) => ({ slug: `acme/m-${index}`, type: "text-to-image" as const })) });
    const list = async (query: string) => (await call(fake.fetch, `/models${query}`)).json() as Promise<{ models: Array<{ slug: string }> } & Record<string, unknown>>;
    const second = await list("?page=2&page_size=2");
    expect(second).toEqual({ models: [expect.objectContaining({ slug: "acme/m-2" }), expect.objectContaining({ slug: "acme/m-3" })], total: 5, page: 2, page_size: 2, has_more: true });
    expect(await list("?page=3&page_size=2")).toMatchObject({ models: [{ slug: "acme/m-4" }], total: 5, page: 3, has_more: false });
    expect(await list("?page=4&page_size=2")).toEqual({ models: [], total: 5, page: 4, page_size: 2, has_more: false });
    expect(await list("?page=1")).toMatchObject({ total: 5, page: 1, page_size: 20, has_more: false });
    expect((await list("?page_size=100")).models).toHaveLength(5);
    expect(Object.keys(await list(""))).toEqual(["models"]);
    for (const [query, name, value] of [["?page=0", "page", "0"], ["?page_size=-1", "page_size", "-1"], ["?page=1.5", "page", "1.5"], ["?page=x", "page", "x"]]) {
      const refused = await call(fake.fetch, `/models${query}`);
      expect(refused.status, query).toBe(400);
      expect(await envelope(refused)).toEqual({ code: 400, message: `Invalid parameters: parameter '${name}' must be a positive integer, got '${value}'` });
    }
  });

  it("decodes each submit path segment once", async () => {
    const fake = new FakeModellix({ strictModels: false });
    await call(fake.fetch, "/my%20provider/model%2Fv1", { method: "POST", body: JSON.stringify({ prompt: "x" }) });
    expect(fake.tasks[0]).toMatchObject({ provider: "my provider", modelId: "model/v1", model: "my provider/model/v1" });
    const encodedDot = await call(fake.fetch, "/bytedance/seedream-4%2E5-t2i", { method: "POST", body: JSON.stringify({ prompt: "x" }) });
    expect(encodedDot.status).toBe(200);
    expect(fake.tasks[1]).toMatchObject({ model: IMAGE_MODEL, type: "text-to-image" });
  });

  it("keeps an encoded task id in one segment", async () => {
    const fake = new FakeModellix();
    for (const id of ["a%2F..%2Fb", "..%2Fmodels", "%3Fx%3D1", "models"]) {
      const response = await call(fake.fetch, `/tasks/${id}`);
      expect(response.status).toBe(404);
      expect((await envelope(response)).message).toBe("Not Found: Task not found");
    }
    expect(fake.requests[0]).toMatchObject({ rawPath: "/api/v1/tasks/a%2F..%2Fb", path: "/api/v1/tasks/a/../b", route: "task" });
  });

  it("answers 404 for unknown paths and 405 for wrong methods", async () => {
    const fake = new FakeModellix();
    expect((await envelope(await call(fake.fetch, "/nope"))).message).toBe("Not Found: Unknown endpoint");
    expect((await envelope(await call(fake.fetch, "/a/b/c/d"))).message).toBe("Not Found: Unknown endpoint");
    expect((await fake.fetch(`${ORIGIN}/elsewhere`)).status).toBe(404);
    expect((await fake.fetch(`${ORIGIN}/v1/models`, { headers: { Authorization: "Bearer k" } })).status).toBe(404);
    const wrong = await call(fake.fetch, "/models", { method: "POST", body: "{}" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, OPTIONS");
    const readSubmit = await call(fake.fetch, `/${IMAGE_MODEL}`);
    expect(readSubmit.status).toBe(405);
    expect(readSubmit.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await call(fake.fetch, "/tasks/x", { method: "POST", body: "{}" })).status).toBe(405);
    expect((await call(fake.fetch, "/media/files", { method: "DELETE" })).headers.get("allow")).toBe("GET, POST, OPTIONS");
    expect((await fake.fetch(`${ORIGIN}/files/task-1-x/0.png`, { method: "POST" })).status).toBe(405);
  });

  it("answers CORS preflights and exposes the rate-limit headers", async () => {
    const fake = new FakeModellix();
    const preflight = await fake.fetch(`${API}/${IMAGE_MODEL}`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE, OPTIONS");
    const response = await call(fake.fetch, "/models");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe(
      "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Request-Id",
    );
  });

  it("serves the API under a prefix, as behind a proxy", async () => {
    const fake = new FakeModellix({ prefix: "/api/modellix/" });
    expect(fake.prefix).toBe("/api/modellix");
    expect(fake.basePath).toBe("/api/modellix/api/v1");
    const base = `${ORIGIN}/api/modellix`;
    const submitted = await envelope(await submit(fake.fetch, IMAGE_MODEL, { prompt: "x" }, { base }));
    const data = submitted.data as { task_id: string; get_result: { url: string } };
    expect(data.get_result.url).toBe(`${base}/api/v1/tasks/${data.task_id}`);
    expect((await call(fake.fetch, "/models", {}, base)).status).toBe(200);
    expect((await call(fake.fetch, "/models")).status).toBe(404);
  });

  it("logs requests with the key redacted and their route, and counts them", async () => {
    const fake = new FakeModellix();
    await submit(fake.fetch, IMAGE_MODEL, { prompt: "x" });
    await call(fake.fetch, "/models?featured=true");
    await fake.fetch(`${API}/models`, { headers: { Authorization: "Bearer sk-secret" } });
    const [first, second, third] = fake.requests;
    expect(first).toMatchObject({
      method: "POST",
      path: "/api/v1/bytedance/seedream-4.5-t2i",
      route: "submit",
      body: { prompt: "x" },
      status: 200,
      fault: undefined,
    });
    expect(first?.headers.authorization).toBe("Bearer ***");
    expect(second).toMatchObject({ method: "GET", route: "models", query: "?featured=true", body: undefined });
    expect(JSON.stringify(fake.requests)).not.toContain("sk-secret");
    expect(third?.headers.authorization).toBe("Bearer ***");
    expect(fake.countRequests()).toBe(3);
    expect(fake.countRequests({ method: "get", path: "/models" })).toBe(2);
    expect(fake.countRequests({ route: "submit" })).toBe(1);
    expect(fake.countRequests({ route: "submit", method: "GET" })).toBe(0);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.tasks).toHaveLength(0);
  });
});
