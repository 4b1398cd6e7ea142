import { describe, expect, it, vi } from "vitest";
import { InvalidResponseError, type ModelInfo, NotFoundError } from "modellix";
import { setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const modelReads = (fake: ReturnType<typeof setup>["fake"]) => fake.countRequests({ method: "GET", path: "/api/v1/models" });

describe("client.models", () => {
  it("lists the active models, typed, filtered by type, provider and search", async () => {
    const { client } = setup();
    const t2i = await client.models.list({ type: "t2i" });
    expect(t2i.map((model) => model.slug)).toEqual(["bytedance/seedream-4-5-t2i", "google/nano-banana-2-lite", "alibaba/qwen-image-2-0"]);
    expect(t2i[0]).toEqual<ModelInfo>({
      slug: "bytedance/seedream-4-5-t2i",
      provider: "bytedance",
      modelId: "seedream-4-5-t2i",
      type: "t2i",
      name: "Seedream 4.5 T2I",
      data: { slug: "bytedance/seedream-4-5-t2i", provider: "bytedance", model_id: "seedream-4-5-t2i", type: "t2i", name: "Seedream 4.5 T2I" },
    });
    expect((await client.models.list({ provider: "kling" })).map((model) => model.slug)).toEqual(["kling/kling-v2-1-i2v", "kling/kling-image-expansion"]);
    expect((await client.models.list({ search: "SEEDANCE 2.0 fast" })).map((model) => model.type)).toEqual(["i2v", "v2v"]);
    expect(await client.models.list({ type: "t2v", provider: "google", search: "veo" })).toHaveLength(1);
    expect(await client.models.list()).toHaveLength(11);
  });

  it("reads GET /models once per cache period; invalidate() and the modelsCacheMs option control it", async () => {
    const { fake, client } = setup();
    await client.models.list();
    await client.models.list({ type: "i2v" });
    await client.models.retrieve("kling/kling-v2-1-i2v");
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

  it("new models show up after the cache period", async () => {
    const { fake, client } = setup();
    expect(await client.models.list({ search: "brand-new" })).toEqual([]);
    fake.configure({ models: [{ slug: "acme/brand-new-t2i", type: "t2i" }] });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(await client.models.retrieve("acme/brand-new-t2i")).toMatchObject({ name: "acme/brand-new-t2i", provider: "acme" });
  });

  it("retrieve() of a slug the API does not list is a NotFoundError", async () => {
    const { client } = setup();
    await expect(client.models.retrieve("acme/unknown")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("tolerates extra fields and other list shapes; a non-list answer is an InvalidResponseError, and is not cached", async () => {
    const { fake, client } = setup({ maxRetries: 0 });
    fake.inject({ kind: "extra-fields" }, { match: { path: "/api/v1/models" } });
    const models = await client.models.list({ type: "r2v" });
    expect(models[0]?.slug).toBe("alibaba/wan-2-6-r2v");
    expect(Object.keys(models[0]?.data ?? {}).length).toBeGreaterThan(5);

    const wrapped = async (data: unknown) => {
      const other = setup({ fetch: async () => Response.json({ code: 0, message: "success", data }) }).client;
      return other.models.list();
    };
    const entry = { slug: "kling/kling-avatar", category: "avatar" };
    expect(await wrapped({ models: [entry], total: 1 })).toMatchObject([{ slug: "kling/kling-avatar", type: "other", name: "kling/kling-avatar" }]);
    expect(await wrapped({ items: [{ provider: "vidu", model_id: "viduq3-r2v" }, { name: "no slug" }, 42] })).toMatchObject([{ slug: "vidu/viduq3-r2v", type: "r2v" }]);
    await expect(wrapped({ unexpected: true })).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
