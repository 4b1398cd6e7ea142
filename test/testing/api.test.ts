import { describe, expect, it } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { BASE, ORIGIN, call, envelope, submit } from "./support.js";

describe("FakeModellix endpoints", () => {
  it("answers a submit in the envelope, with a get_result URL on the request's origin", async () => {
    const fake = new FakeModellix();
    const response = await submit(fake.fetch, "t2i", "bytedance/seedream-4-5-t2i", { prompt: "a cat", size: "512*512" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^req-\d+$/);
    const body = await envelope(response);
    expect(body).toMatchObject({ code: 0, message: "success" });
    const data = body.data as Record<string, unknown>;
    expect(data.task_id).toMatch(/^task-1-[a-z0-9]+$/);
    expect(data).toEqual({
      status: "pending",
      task_id: data.task_id,
      model_id: "seedream-4-5-t2i",
      get_result: { method: "GET", url: `${BASE}/tasks/${data.task_id}` },
    });
  });

  it("requires a Bearer key", async () => {
    const fake = new FakeModellix();
    for (const authorization of [undefined, "test-key", "Basic dGVzdA==", "Bearer "]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
      const response = await fake.fetch(`${BASE}/models`, { headers });
      expect(response.status).toBe(401);
      expect(await envelope(response)).toEqual({ code: 401, message: "Unauthorized: Invalid or missing API key", data: null });
    }
  });

  it("accepts only the configured keys, and says so on /apikey/validate", async () => {
    const fake = new FakeModellix({ apiKeys: ["good"] });
    const good = await call(fake.fetch, "/apikey/validate", { headers: { Authorization: "Bearer good" } });
    expect((await envelope(good)).data).toEqual({ is_valid: true });
    const bad = await call(fake.fetch, "/apikey/validate", { headers: { Authorization: "Bearer bad" } });
    expect(bad.status).toBe(200);
    expect((await envelope(bad)).data).toEqual({ is_valid: false });
    expect((await call(fake.fetch, "/models", { headers: { Authorization: "Bearer bad" } })).status).toBe(401);
    expect((await call(fake.fetch, "/apikey/validate", { headers: { Authorization: "bad" } })).status).toBe(401);
  });

  it("rejects bad submit bodies with the API's messages", async () => {
    const fake = new FakeModellix();
    const cases: Array<[string, unknown, string]> = [
      ["t2i", {}, "Bad Request: Missing required parameter: prompt"],
      ["t2v", { prompt: "  " }, "Bad Request: Missing required parameter: prompt"],
      ["t2i", { prompt: "x", size: "1024x1024" }, "Bad Request: Invalid parameter: size must be W*H, e.g. 1024*1024"],
      ["t2i", { prompt: "x", size: "1024" }, "Bad Request: Invalid parameter: size must be W*H, e.g. 1024*1024"],
      ["t2i", { prompt: 42 }, "Bad Request: Invalid parameter: prompt must be a string"],
      ["t2i", [1, 2], "Bad Request: Invalid request body: expected a JSON object"],
    ];
    for (const [type, body, message] of cases) {
      const response = await submit(fake.fetch, type, "google/nano-banana-2-lite", body);
      expect(response.status).toBe(400);
      expect(await envelope(response)).toEqual({ code: 400, message, data: null });
    }
    const notJson = await call(fake.fetch, "/t2i/a/b/async", { method: "POST", body: "prompt=x" });
    expect((await envelope(notJson)).message).toBe("Bad Request: Invalid request body: expected a JSON object");
    expect(fake.tasks).toHaveLength(0);
  });

  it("needs no prompt for image-to-video unless configured", async () => {
    const fake = new FakeModellix();
    expect((await submit(fake.fetch, "i2v", "kling/kling-v2-1-i2v", { image: "https://x/y.png" })).status).toBe(200);
    fake.configure({ promptRequired: ["i2v"] });
    expect((await submit(fake.fetch, "i2v", "kling/kling-v2-1-i2v", { image: "https://x/y.png" })).status).toBe(400);
  });

  it("decodes each submit path segment once", async () => {
    const fake = new FakeModellix();
    await call(fake.fetch, "/t2i/my%20provider/model%2Fv1/async", { method: "POST", body: JSON.stringify({ prompt: "x" }) });
    expect(fake.tasks[0]).toMatchObject({ provider: "my provider", modelId: "model/v1", model: "my provider/model/v1" });
  });

  it("answers 402 while the balance is exhausted", async () => {
    const fake = new FakeModellix({ balance: 0 });
    expect((await envelope(await call(fake.fetch, "/team/balance"))).data).toEqual({ balance: 0 });
    const response = await submit(fake.fetch, "t2i", "alibaba/qwen-image-2-0", { prompt: "x" });
    expect(response.status).toBe(402);
    expect((await envelope(response)).message).toBe("Payment Required: Insufficient balance");
    fake.configure({ balance: 12.5 });
    expect((await envelope(await call(fake.fetch, "/team/balance"))).data).toEqual({ balance: 12.5 });
  });

  it("lists models with type, provider and search filters", async () => {
    const fake = new FakeModellix();
    const all = (await envelope(await call(fake.fetch, "/models"))).data as Array<Record<string, string>>;
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all).toContainEqual({
      slug: "kling/kling-image-expansion",
      provider: "kling",
      model_id: "kling-image-expansion",
      type: "expansion",
      name: "Kling Image Expansion",
    });
    const slugs = async (query: string) =>
      ((await envelope(await call(fake.fetch, `/models?${query}`))).data as Array<{ slug: string }>).map((m) => m.slug);
    expect(await slugs("type=i2v")).toEqual(["bytedance/seedance-2-0-fast-i2v", "kling/kling-v2-1-i2v"]);
    expect(await slugs("provider=kling&type=expansion")).toEqual(["kling/kling-image-expansion"]);
    expect(await slugs("search=BANANA")).toEqual(["google/nano-banana-2-lite"]);
  });

  it("refuses unknown models only when strict", async () => {
    const fake = new FakeModellix({ strictModels: true, models: [{ slug: "acme/one", type: "t2i" }] });
    expect((await submit(fake.fetch, "t2i", "acme/one", { prompt: "x" })).status).toBe(200);
    const unknown = await submit(fake.fetch, "t2i", "acme/two", { prompt: "x" });
    expect(unknown.status).toBe(404);
    expect((await envelope(unknown)).message).toBe("Not Found: Model not found: acme/two");
  });

  it("keeps an encoded task id in one segment", async () => {
    const fake = new FakeModellix();
    for (const id of ["a%2F..%2Fb", "..%2Fmodels", "%3Fx%3D1", "models"]) {
      const response = await call(fake.fetch, `/tasks/${id}`);
      expect(response.status).toBe(404);
      expect((await envelope(response)).message).toBe("Not Found: Task not found");
    }
    expect(fake.requests[0]).toMatchObject({ rawPath: "/api/v1/tasks/a%2F..%2Fb", path: "/api/v1/tasks/a/../b" });
  });

  it("answers 404 for unknown paths and 405 for wrong methods", async () => {
    const fake = new FakeModellix();
    expect((await envelope(await call(fake.fetch, "/nope"))).message).toBe("Not Found: Unknown endpoint");
    expect((await call(fake.fetch, "/x2y/a/b/async", { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fake.fetch(`${ORIGIN}/elsewhere`)).status).toBe(404);
    const wrong = await call(fake.fetch, "/models", { method: "POST", body: "{}" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, OPTIONS");
    expect((await fake.fetch(`${ORIGIN}/files/task-1-x/0.png`, { method: "POST" })).status).toBe(405);
  });

  it("answers CORS preflights and exposes the rate-limit headers", async () => {
    const fake = new FakeModellix();
    const preflight = await fake.fetch(`${BASE}/t2i/a/b/async`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    const response = await call(fake.fetch, "/models");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe(
      "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Request-Id",
    );
  });

  it("logs requests with the key redacted, and counts them", async () => {
    const fake = new FakeModellix();
    await submit(fake.fetch, "t2i", "bytedance/seedream-4-5-t2i", { prompt: "x" });
    await call(fake.fetch, "/models?type=t2i");
    await fake.fetch(`${BASE}/models`, { headers: { Authorization: "Bearer sk-secret" } });
    const [first, second, third] = fake.requests;
    expect(first).toMatchObject({
      method: "POST",
      path: "/api/v1/t2i/bytedance/seedream-4-5-t2i/async",
      body: { prompt: "x" },
      status: 200,
      fault: undefined,
    });
    expect(first?.headers.authorization).toBe("Bearer ***");
    expect(second).toMatchObject({ method: "GET", query: "?type=t2i", body: undefined });
    expect(JSON.stringify(fake.requests)).not.toContain("sk-secret");
    expect(third?.headers.authorization).toBe("Bearer ***");
    expect(fake.countRequests()).toBe(3);
    expect(fake.countRequests({ method: "get", path: "/models" })).toBe(2);
    expect(fake.countRequests({ path: /\/async$/ })).toBe(1);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.tasks).toHaveLength(0);
  });
});
