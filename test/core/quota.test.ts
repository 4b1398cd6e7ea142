import { describe, expect, it, vi } from "vitest";
import { UserAbortError } from "modellix";
import type { FakeModellix } from "modellix/testing";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

/** The prompts of the tasks the fake created, in order: which submits were sent. */
const sentPrompts = (fake: FakeModellix) => fake.tasks.map((task) => task.input.prompt);

useFakeTimersInEachTest();

describe("team quota", () => {
  it("10 submits with maxConcurrentTasks 3 never run more than 3 tasks at the server, and get no 429", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 3 }, { maxConcurrentTasks: 3, durationMs: 5_000 });
    const results = await drive(Promise.all(Array.from({ length: 10 }, (_, i) => client.textToImage({ prompt: `fox ${i}` }).wait())));
    expect(results).toHaveLength(10);
    expect(new Set(results.map((r) => r.id)).size).toBe(10);
    expect(fake.maxConcurrentObserved).toBe(3);
    expect(fake.stats.tooManyRequests.concurrency).toBe(0);
    expect(fake.countRequests({ method: "POST" })).toBe(10);
  });

  it("a submit beyond the quota is not sent until one of this client's tasks ends", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 2 }, { durationMs: 10_000 });
    await client.t2i.submit({ prompt: "a" });
    await client.t2i.submit({ prompt: "b" });
    const third = client.t2i.submit({ prompt: "c" });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(fake.countRequests({ method: "POST" })).toBe(2);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(sentPrompts(fake)).toEqual(["a", "b", "c"]);
    expect((await third).id).toBe(fake.tasks[2]?.id);
    expect(fake.maxConcurrentObserved).toBe(2);
  });

  it("while a submit waits for a slot, the slot's task is polled every 2 s instead of backing off to 5 s", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 30_000 });
    await client.t2v.submit({ prompt: "a" });
    const second = client.t2v.submit({ prompt: "b" });
    await drive(second, { stepMs: 100 });
    const [firstPost, secondPost] = fake.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(secondPost! - firstPost!).toBeGreaterThanOrEqual(30_000);
    expect(secondPost! - firstPost!).toBeLessThanOrEqual(32_000);
    const polls = fake.requests.filter((r) => r.method === "GET").map((r) => r.at - firstPost!);
    expect(polls.slice(1).map((at, i) => at - polls[i]!)).toEqual(polls.slice(1).map(() => 2000));
  });

  it("a submit that fails frees its slot at once", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 });
    fake.inject({ kind: "status", status: 400, message: "Bad Request: Invalid parameter: style" }, { match: { method: "POST" } });
    await expect(client.t2i.submit({ prompt: "a", aspectRatio: "x" })).rejects.toThrow("Invalid parameter: style");
    const next = await client.t2i.submit({ prompt: "b" });
    expect(sentPrompts(fake)).toEqual(["b"]);
    expect(next.id).toBe(fake.tasks[0]?.id);
    expect(client.queue.running).toBe(1);
  });

  it("an aborted submit waiting for a slot is dropped and never sent", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 5_000 });
    await client.t2i.submit({ prompt: "a" });
    const controller = new AbortController();
    const waiting = client.t2i.submit({ prompt: "b" }, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect((await waiting) as Error).toHaveProperty("name", "UserAbortError");
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    const result = await drive(client.t2i.submit({ prompt: "c" }).wait());
    expect(sentPrompts(fake)).toEqual(["a", "c"]);
    expect(result.id).toBe(fake.tasks[1]?.id);
    expect(result.resources).toHaveLength(1);
  });

  it("an abort after the submit was sent keeps the task's slot taken until the task ends", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 10_000 });
    const controller = new AbortController();
    await client.t2i.submit({ prompt: "a" }, { signal: controller.signal });
    controller.abort();
    const next = client.t2i.submit({ prompt: "b" });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(sentPrompts(fake)).toEqual(["a"]);
    expect([client.queue.running, client.queue.waiting]).toEqual([1, 1]);
    await drive(next);
    expect(sentPrompts(fake)).toEqual(["a", "b"]);
    expect(fake.maxConcurrentObserved).toBe(1);
  });
});

describe("client.queue", () => {
  it("clear() refuses every waiting submit with UserAbortError and sends none of them; the running tasks go on and the queue serves new submits", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 2 }, { durationMs: 10_000 });
    const running = [await client.t2i.submit({ prompt: "a" }), await client.t2i.submit({ prompt: "b" })];
    const refused: unknown[] = [];
    for (const prompt of ["c", "d", "e"]) client.t2i.submit({ prompt }).catch((error: unknown) => refused.push(error));
    await vi.advanceTimersByTimeAsync(1_000);
    expect([client.queue.running, client.queue.waiting]).toEqual([2, 3]);

    client.queue.clear();
    await vi.advanceTimersByTimeAsync(0);
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error).toBeInstanceOf(UserAbortError);
      expect(error).toHaveProperty("message", expect.stringContaining("client.queue.clear()"));
    }
    expect([client.queue.running, client.queue.waiting]).toEqual([2, 0]);

    const results = await drive(Promise.all(running.map((task) => task.wait())));
    expect(results.map((result) => result.id)).toEqual(running.map((task) => task.id));
    await drive(client.queue.onIdle());
    expect(sentPrompts(fake)).toEqual(["a", "b"]);

    await client.t2i.submit({ prompt: "f" });
    expect(sentPrompts(fake)).toEqual(["a", "b", "f"]);
  });

  it("onIdle() resolves once nothing waits and every task has ended", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 5_000 });
    const tasks = ["a", "b", "c"].map((prompt) => client.t2i.submit({ prompt }));
    await tasks[0];
    await vi.advanceTimersByTimeAsync(100);
    expect([client.queue.running, client.queue.waiting]).toEqual([1, 2]);
    let idle = false;
    const onIdle = client.queue.onIdle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(12_000);
    expect(idle).toBe(false);
    expect(sentPrompts(fake)).toEqual(["a", "b", "c"]);
    await drive(onIdle);
    expect(fake.tasks.map((task) => task.status)).toEqual(["success", "success", "success"]);
    expect([client.queue.running, client.queue.waiting]).toEqual([0, 0]);
    expect(fake.maxConcurrentObserved).toBe(1);
  });
});

describe("one caller's signal over many submits and waits", () => {
  it("adds no listener per submit to it: no MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const { client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 2_000 });
      const controller = new AbortController();
      const results = Array.from({ length: 30 }, (_, i) => client.t2i.submit({ prompt: `p${i}` }, { signal: controller.signal }).wait({ signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(5_000);
      controller.abort();
      await Promise.allSettled(results);
      await new Promise((resolve) => process.nextTick(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});

describe("rate-limit headers and proactive throttle", () => {
  it("exposes the latest X-RateLimit-* figures", async () => {
    const { client } = setup({}, { rateLimit: 50 });
    expect(client.rateLimit).toBeUndefined();
    await client.t2i.submit({ prompt: "x" });
    expect(client.rateLimit).toMatchObject({ limit: 50, remaining: 49 });
    expect(client.rateLimit?.resetAt).toBeInstanceOf(Date);
  });

  it("spaces requests ~1 s apart once fewer than 20 % of the window is left", async () => {
    const { fake, client } = setup({ pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } }, { rateLimit: 10 });
    const task = await client.t2i.submit({ prompt: "x" });
    const resumed = client.tasks.retrieve(task.id);
    const reads = Array.from({ length: 10 }, () => resumed.status());
    await drive(Promise.all(reads), { stepMs: 100, maxMs: 60_000 });
    const at = fake.requests.map((r) => r.at - fake.requests[0]!.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Requests 1-9 find remaining >= 2 (20 % of 10) and go at once; after that they are spaced.
    expect(gaps.slice(0, 8).every((gap) => gap < 100)).toBe(true);
    expect(gaps.slice(9).every((gap) => gap >= 1000)).toBe(true);
    expect(fake.stats.tooManyRequests.rateLimit).toBe(0);
  });
});
