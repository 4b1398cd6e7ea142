import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { IMAGE_MODEL, call, envelope, readTask, submit } from "./support.js";

const submitDefault = (fake: FakeModellix) => submit(fake.fetch, IMAGE_MODEL, { prompt: "x" });

async function rejection(promise: Promise<unknown>): Promise<TypeError & { cause: { code: string; message: string } }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TypeError);
  return error as TypeError & { cause: { code: string; message: string } };
}

describe("FakeModellix injected faults", () => {
  afterEach(() => vi.useRealTimers());

  it("answers an injected status before processing, then recovers", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "status", status: 503 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await submitDefault(fake);
      expect(response.status).toBe(503);
      expect(await envelope(response)).toEqual({ code: 503, message: "Service Unavailable: Injected fault" });
    }
    expect(fake.tasks).toHaveLength(0);
    expect((await submitDefault(fake)).status).toBe(200);
    expect(fake.requests.map((r) => r.fault)).toEqual(["status", "status", undefined]);
    expect(fake.stats.faultsApplied).toBe(2);
  });

  it("sends an injected 429 with Retry-After and custom headers and message", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "status", status: 429 });
    fake.inject({ kind: "status", status: 500, message: "Internal Server Error: boom", headers: { "X-Extra": "1" } });
    const limited = await call(fake.fetch, "/models");
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(fake.stats.tooManyRequests.injected).toBe(1);
    const failed = await call(fake.fetch, "/models");
    expect(failed.headers.get("x-extra")).toBe("1");
    expect((await envelope(failed)).message).toBe("Internal Server Error: boom");
  });

  it("applies faults FIFO to matching requests only", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "status", status: 502 }, { match: { route: "submit" } });
    fake.inject({ kind: "status", status: 504 }, { match: { path: "/tasks/" } });
    fake.inject({ kind: "status", status: 500 });
    expect((await call(fake.fetch, "/tasks/x")).status).toBe(504);
    expect((await submitDefault(fake)).status).toBe(502);
    expect((await call(fake.fetch, "/models")).status).toBe(500);
    expect((await call(fake.fetch, "/models")).status).toBe(200);
    fake.inject({ kind: "status", status: 500 }, { times: Number.POSITIVE_INFINITY });
    expect((await call(fake.fetch, "/models")).status).toBe(500);
    fake.clearFaults();
    expect((await call(fake.fetch, "/models")).status).toBe(200);
    expect(() => fake.inject({ kind: "reset" }, { times: 0 })).toThrow(RangeError);
  });

  it("reset rejects like undici and creates nothing; refuse says ECONNREFUSED", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "reset" });
    const reset = await rejection(submitDefault(fake));
    expect(reset.message).toBe("fetch failed");
    expect(reset.cause).toMatchObject({ code: "ECONNRESET", message: "socket hang up" });
    fake.inject({ kind: "refuse" });
    expect((await rejection(submitDefault(fake))).cause.code).toBe("ECONNREFUSED");
    expect(fake.tasks).toHaveLength(0);
    expect(fake.requests.map((r) => r.status)).toEqual([0, 0]);
  });

  it("reset-after-create and status-after-create create the task before failing", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "reset-after-create" });
    expect((await rejection(submitDefault(fake))).cause.code).toBe("ECONNRESET");
    fake.inject({ kind: "status-after-create", status: 504 });
    const response = await submitDefault(fake);
    expect(response.status).toBe(504);
    expect((await envelope(response)).message).toBe("Gateway Timeout: Injected fault");
    expect(fake.tasks).toHaveLength(2);
  });

  it("malformed-json answers 200 with truncated JSON, after creating the task", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "malformed-json" });
    const response = await submitDefault(fake);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"code":0')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(fake.tasks).toHaveLength(1);
  });

  it("envelope-error answers 200 with a non-zero code and creates nothing", async () => {
    const fake = new FakeModellix();
    fake.inject({ kind: "envelope-error", code: 10001, message: "Internal Error: queue unavailable" });
    const response = await submitDefault(fake);
    expect(response.status).toBe(200);
    expect(await envelope(response)).toEqual({ code: 10001, message: "Internal Error: queue unavailable" });
    expect(fake.tasks).toHaveLength(0);
  });

  it("extra-fields adds unknown fields to every object; missing-fields drops optional ones", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    fake.inject({ kind: "extra-fields" });
    const submitted = await envelope(await submitDefault(fake));
    const data = submitted.data as Record<string, unknown>;
    expect(submitted).toHaveProperty("x_fake_extra");
    expect(data).toHaveProperty("x_fake_extra");
    expect(data.get_result).toHaveProperty("x_fake_extra");
    const id = data.task_id as string;
    vi.advanceTimersByTime(3000);
    fake.inject({ kind: "missing-fields" });
    const read = await readTask(fake, id);
    expect(read).not.toHaveProperty("model_id");
    expect(read).not.toHaveProperty("result_expires_at");
    expect(read.result).not.toHaveProperty("extensions");
    expect(read).toMatchObject({ task_id: id, status: "success" });
    expect((read.result as { resources: object[] }).resources[0]).toEqual({ url: expect.any(String), type: "image" });
    fake.inject({ kind: "missing-fields" });
    expect((await envelope(await submitDefault(fake))).data).toEqual({ status: "pending", task_id: expect.any(String) });
  });

  it("shape faults act on the whole body of the unenveloped models answer", async () => {
    const fake = new FakeModellix({ models: [{ slug: "acme/one", type: "text-to-image" }] });
    fake.inject({ kind: "extra-fields" });
    expect(await (await call(fake.fetch, "/models")).json()).toEqual({
      models: [expect.objectContaining({ slug: "acme/one", x_fake_extra: expect.any(Object) })],
      x_fake_extra: expect.any(Object),
    });
    fake.inject({ kind: "missing-fields" });
    expect(await (await call(fake.fetch, "/models")).json()).toEqual({ models: [{ slug: "acme/one", type: "text-to-image" }] });
  });

  it("delay answers after the delay on fake timers", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    fake.inject({ kind: "delay", ms: 10_000 });
    let settled = false;
    const pending = call(fake.fetch, "/models").then((response) => {
      settled = true;
      return response;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
  });

  it("delay honours the request's AbortSignal and creates nothing", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    fake.inject({ kind: "delay", ms: 60_000 });
    const controller = new AbortController();
    const outcome = submit(fake.fetch, IMAGE_MODEL, { prompt: "x" }, { signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    expect(await outcome).toMatchObject({ name: "AbortError" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.tasks).toHaveLength(0);
    expect(fake.requests[0]).toMatchObject({ fault: "delay", status: 0 });
  });

  it("hang never answers until the request is aborted", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    fake.inject({ kind: "hang" });
    const controller = new AbortController();
    const outcome = call(fake.fetch, "/models", { signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(3_600_000);
    controller.abort(new Error("gave up"));
    expect(await outcome).toMatchObject({ message: "gave up" });
  });

  it("delay-after-create creates the task, then answers late", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    fake.inject({ kind: "delay-after-create", ms: 30_000 });
    let answered = false;
    const outcome = submitDefault(fake).then((response) => {
      answered = true;
      return response;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.tasks).toHaveLength(1);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await outcome).status).toBe(200);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const fake = new FakeModellix();
    const error = await call(fake.fetch, "/models", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(fake.requests).toHaveLength(0);
  });
});
