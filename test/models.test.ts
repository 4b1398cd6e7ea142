import { describe, expect, it, vi } from "vitest";
import { InvalidResponseError, NotFoundError } from "modellix";
import type { ModelInfo } from "modellix/catalog";
import { DEFAULT_FAKE_MODELS } from "modellix/testing";
import { secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

/** How many times the whole list was read (each read asks for page 1 first). */
const modelReads = (fake: ReturnType<typeof setup>["fake"]) =>
  fake.requests.filter((request) => request.path === "/api/v1/models" && new URLSearchParams(request.query).get("page") === "1").length;

describe("client.models", () => {
  it("reads the real, unenveloped GET /models answer and filters by short or long type, provider and search", async () => {
    const { client } = setup();
    const t2i = await client.models.list({ type: "t2i" });
    expect(t2i.length).toBeGreaterThan(10);
    expect(t2i.map((model) => model.slug)).toContain("bytedance/seedream-4.5-t2i");
    expect(await client.models.list({ type: "text-to-image" })).toEqual(t2i);
    const seedream = t2i.find((model) => model.slug === "bytedance/seedream-4.5-t2i");
    expect(seedream).toEqual<ModelInfo>({
      slug: "bytedance/seedream-4.5-t2i",
      provider: "bytedance",
      modelId: "seedream-4.5-t2i",
      type: "text-to-image",
      namespace: "t2i",
      docsUrl: expect.stringContaining("seedream-4-5-t2i"),
      description: expect.any(String),
      data: expect.objectContaining({ slug: "bytedance/seedream-4.5-t2i", type: "text-to-image" }),
    });
    expect((await client.models.list({ provider: "kling" })).every((model) => model.provider === "kling")).toBe(true);
    expect((await client.models.list({ search: "seedance-2.0-fast" })).map((model) => model.namespace)).toEqual(expect.arrayContaining(["i2v", "v2v"]));
    expect((await client.models.list({ type: "speech-to-text" })).map((model) => model.slug)).toEqual(["openai/whisper-1"]);
  });

  it("featured: true asks GET /models?featured=true", async () => {
    const { fake, client } = setup();
    const featured = await client.models.list({ featured: true });
    expect(featured.length).toBeGreaterThan(0);
    expect(featured.length).toBeLessThan((await client.models.list()).length);
    expect(fake.requests.map((request) => `${request.path}${request.query}`)).toContain("/api/v1/models?featured=true&page=1&page_size=100");
  });

  it("reads every page while the answer says has_more, each model once, and caches the whole list", async () => {
    const { fake, client } = setup();
    const { data, response } = await client.models.list().withResponse();
    expect(data.map((model) => model.slug)).toEqual(DEFAULT_FAKE_MODELS.map((spec) => spec.slug));
    expect(data.length).toBeGreaterThan(200);
    expect(fake.requests.map((request) => request.query)).toEqual(["?page=1&page_size=100", "?page=2&page_size=100", "?page=3&page_size=100"]);
    expect(response.status).toBe(200);
    expect(await client.models.retrieve(DEFAULT_FAKE_MODELS.at(-1)?.slug ?? "")).toMatchObject({ slug: DEFAULT_FAKE_MODELS.at(-1)?.slug });
    expect(fake.requests).toHaveLength(3);
  });

  it("reads a paginated answer by its total when it has no has_more, and an unpaginated one in one request", async () => {
    const entries = Array.from({ length: 5 }, (_, index) => ({ slug: `acme/model-${index}`, type: "text-to-image" }));
    const queries: string[] = [];
    const byTotal = async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      queries.push(url.search);
      const page = Number(url.searchParams.get("page"));
      // Two per page whatever was asked, enveloped, with a total and no has_more.
      return Response.json({ code: 0, message: "success", data: { models: entries.slice((page - 1) * 2, page * 2), total: entries.length } });
    };
    const paged = await setup({ fetch: byTotal }).client.models.list();
    expect(paged.map((model) => model.slug)).toEqual(entries.map((entry) => entry.slug));
    expect(queries).toEqual(["?page=1&page_size=100", "?page=2&page_size=100", "?page=3&page_size=100"]);

    let calls = 0;
    const whole = async () => {
      calls += 1;
      return Response.json({ models: entries });
    };
    expect(await setup({ fetch: whole }).client.models.list()).toHaveLength(5);
    expect(calls).toBe(1);
  });

  it("ends with an InvalidResponseError, not a loop, when has_more never ends: a page with nothing new, or past 100 pages", async () => {
    let repeats = 0;
    const samePage = async () => {
      repeats += 1;
      return Response.json({ models: [{ slug: "acme/one", type: "text-to-image" }], total: 1000, has_more: true });
    };
    const stuck = await setup({ fetch: samePage, maxRetries: 0 }).client.models.list().catch((error: unknown) => error);
    expect(stuck).toBeInstanceOf(InvalidResponseError);
    expect((stuck as Error).message).toContain("page 2 of GET /models");
    expect(repeats).toBe(2);

    let pages = 0;
    const endless = async (input: RequestInfo | URL) => {
      pages += 1;
      const page = new URL(input instanceof Request ? input.url : String(input)).searchParams.get("page");
      return Response.json({ models: [{ slug: `acme/page-${page}`, type: "text-to-image" }], has_more: true });
    };
    const { client } = setup({ fetch: endless, maxRetries: 0 });
    const error = await client.models.list().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("within 100 pages");
    expect(pages).toBe(100);
    // Nothing was cached: the next call reads again.
    await client.models.list().catch(() => undefined);
    expect(pages).toBe(200);
  });

  it("reads GET /models once per cache period; invalidate() and the modelsCacheMs option control it", async () => {
    const { fake, client } = setup();
    await client.models.list();
    await client.models.list({ type: "i2v" });
    await client.models.retrieve("kling/kling-v2.1-i2v");
    expect(modelReads(fake)).toBe(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await client.models.list();
    expect(modelReads(fake)).toBe(2);
    client.models.invalidate();
    await client.models.list();
    expect(modelReads(fake)).toBe(3);

    const uncached = setup({ modelsCacheMs: 0 });
    await uncached.client.models.list();
    await uncached.client.models.list();
    expect(modelReads(uncached.fake)).toBe(2);
  });

  it("new models show up after the cache period; retrieve() of one the API does not list is a NotFoundError", async () => {
    const { fake, client } = setup();
    expect(await client.models.list({ search: "brand-new" })).toEqual([]);
    fake.configure({ models: [{ slug: "acme/brand-new-t2i", type: "text-to-image" }] });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(await client.models.retrieve("acme/brand-new-t2i")).toMatchObject({ provider: "acme", namespace: "t2i" });
    await expect(client.models.retrieve("acme/unknown")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("tolerates an envelope and other list shapes; a non-list answer is an InvalidResponseError, and is not cached", async () => {
    const answer = async (body: unknown) => setup({ maxRetries: 0, fetch: async () => Response.json(body) }).client.models.list();
    const entry = { slug: "kling/kling-avatar", type: "image-to-video", price: 0.2 };
    expect(await answer({ models: [entry] })).toMatchObject([{ slug: "kling/kling-avatar", namespace: "i2v", data: { price: 0.2 } }]);
    expect(await answer({ code: 0, message: "success", data: { models: [entry] } })).toMatchObject([{ slug: "kling/kling-avatar" }]);
    expect(await answer({ code: 0, data: [{ provider: "vidu", model_id: "viduq3-mix-r2v" }, { name: "no slug" }, 42] })).toMatchObject([{ slug: "vidu/viduq3-mix-r2v" }]);
    await expect(answer({ unexpected: true })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("models.schema() reads the public api_schema from www.modellix.ai without the key, accepting the docs spelling", async () => {
    const seen: Request[] = [];
    const openapi = { openapi: "3.1.0", servers: [{ url: "https://api.modellix.ai/api/v1/bytedance/seedream-4.5-t2i" }], paths: {} };
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      return Response.json(openapi);
    };
    const { client } = setup({ fetch });
    const { data, response } = await client.models.schema("bytedance/seedream-4-5-t2i").withResponse();
    expect(data).toEqual(openapi);
    expect(response.status).toBe(200);
    expect(seen[0]?.url).toBe("https://www.modellix.ai/models/bytedance/seedream-4.5-t2i/api_schema");
    expect(seen[0]?.headers.get("authorization")).toBeNull();
    expect(JSON.stringify([...(seen[0]?.headers.entries() ?? [])])).not.toContain(secretKey);
    const local = setup({ fetch, schemaBaseURL: "http://127.0.0.1:9999" }).client;
    await local.models.schema("acme/new-model");
    expect(seen[1]?.url).toBe("http://127.0.0.1:9999/models/acme/new-model/api_schema");
  });
});
