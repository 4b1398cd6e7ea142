import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { createFakeHandlers } from "../../src/testing/msw.js";
import { IMAGE_MODEL, ORIGIN, call, envelope, submit, upload } from "./support.js";

const fake = new FakeModellix({ pendingMs: 0, durationMs: 0 });
const server = setupServer(...createFakeHandlers(fake, { baseURL: ORIGIN }));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => fake.reset());
afterAll(() => server.close());

describe("createFakeHandlers", () => {
  it("answers the SDK's requests from the fake, files included", async () => {
    const submitted = await envelope(await submit(fetch, IMAGE_MODEL, { prompt: "x" }));
    const id = (submitted.data as { task_id: string }).task_id;
    const read = await envelope(await call(fetch, `/tasks/${id}`));
    expect(read.data).toMatchObject({ status: "success", result: { resources: [{ url: `${ORIGIN}/files/${id}/0.png` }] } });
    const file = await fetch(`${ORIGIN}/files/${id}/0.png`);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(fake.requests.map((r) => [r.route, r.status])).toEqual([
      ["submit", 200],
      ["task", 200],
      ["file", 200],
    ]);
  });

  it("takes multipart uploads and serves them back", async () => {
    const uploaded = await envelope(await upload(fetch, new Blob(["abc"], { type: "audio/mpeg" }), "voice.mp3"));
    const { url, type, size } = uploaded.data as { url: string; type: string; size: number };
    expect([type, size]).toEqual(["audio", 3]);
    const back = await fetch(url);
    expect(back.headers.get("content-type")).toBe("audio/mpeg");
    expect(await back.text()).toBe("abc");
  });

  it("answers the unenveloped models list and a 404 for the old typed path", async () => {
    const models = (await (await call(fetch, "/models")).json()) as { models: unknown[] };
    expect(models.models.length).toBeGreaterThan(200);
    const old = await call(fetch, "/t2i/bytedance/seedream-4.5-t2i/async", { method: "POST", body: JSON.stringify({ prompt: "x" }) });
    expect(old.status).toBe(404);
  });

  it("keeps an encoded task id in one segment", async () => {
    const response = await call(fetch, "/tasks/a%2F..%2Fb");
    expect((await envelope(response)).message).toBe("Not Found: Task not found");
  });

  it("turns a reset into a network error", async () => {
    fake.inject({ kind: "reset-after-create" });
    await expect(submit(fetch, IMAGE_MODEL, { prompt: "x" })).rejects.toThrow(TypeError);
    expect(fake.tasks).toHaveLength(1);
  });

  it("takes the origin with or without /api/v1, and refuses a path that differs from the fake's prefix", () => {
    expect(createFakeHandlers(fake)).toHaveLength(1);
    expect(createFakeHandlers(fake, { baseURL: "https://x.test/api/v1/" })).toHaveLength(1);
    expect(createFakeHandlers(new FakeModellix({ prefix: "/api/modellix" }), { baseURL: "https://x.test/api/modellix" })).toHaveLength(1);
    expect(() => createFakeHandlers(fake, { baseURL: "https://x.test/api/v2" })).toThrow(/prefix/);
    expect(() => createFakeHandlers(new FakeModellix({ prefix: "/p" }), { baseURL: "https://x.test" })).toThrow(/prefix/);
  });
});
