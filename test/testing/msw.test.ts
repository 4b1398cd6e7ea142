import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { createFakeHandlers } from "../../src/testing/msw.js";
import { BASE, ORIGIN, call, envelope, submit } from "./support.js";

const fake = new FakeModellix({ pendingMs: 0, durationMs: 0 });
const server = setupServer(...createFakeHandlers(fake, { baseURL: BASE }));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => fake.reset());
afterAll(() => server.close());

describe("createFakeHandlers", () => {
  it("answers the SDK's requests from the fake, files included", async () => {
    const submitted = await envelope(await submit(fetch, "t2i", "google/nano-banana-2-lite", { prompt: "x" }));
    const id = (submitted.data as { task_id: string }).task_id;
    const read = await envelope(await call(fetch, `/tasks/${id}`));
    expect(read.data).toMatchObject({ status: "success", result: { resources: [{ url: `${ORIGIN}/files/${id}/0.png` }] } });
    const file = await fetch(`${ORIGIN}/files/${id}/0.png`);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("keeps an encoded task id in one segment", async () => {
    const response = await call(fetch, "/tasks/a%2F..%2Fb");
    expect((await envelope(response)).message).toBe("Not Found: Task not found");
  });

  it("turns a reset into a network error", async () => {
    fake.inject({ kind: "reset-after-create" });
    await expect(submit(fetch, "t2i", "a/b", { prompt: "x" })).rejects.toThrow(TypeError);
    expect(fake.tasks).toHaveLength(1);
  });

  it("refuses a base URL whose path differs from the fake's", () => {
    expect(() => createFakeHandlers(fake, { baseURL: "https://x.test/api/v2" })).toThrow(/basePath/);
  });
});
