import { describe, expect, it, vi } from "vitest";
import { UserAbortError, type TaskSnapshot, WaitTimeoutError } from "modellix";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

describe("task.updates()", () => {
  it("breaking out of the loop stops polling a resumed task", async () => {
    const { fake, client } = setup({}, { durationMs: 60_000 });
    const submitted = await client.t2v.submit({ prompt: "x" });
    const other = setup({ fetch: fake.fetch }).client;
    const seen: string[] = [];
    await drive(
      (async () => {
        for await (const update of other.tasks.retrieve(submitted.id).updates()) {
          seen.push(update.status);
          if (update.status === "processing") break;
        }
      })(),
    );
    expect(seen).toEqual(["pending", "processing"]);
    const polls = fake.countRequests({ method: "GET" });
    await vi.advanceTimersByTimeAsync(30_000);
    // Only the submitting client's background poll (it holds a quota slot) goes on: about one poll per 5 s.
    expect(fake.countRequests({ method: "GET" })).toBeLessThanOrEqual(polls + 7);
    await other.tasks.retrieve(submitted.id).status();
  });

  it("readings come in order, each status once; after the end next() is done", async () => {
    const { client } = setup({}, { pendingMs: 4_000, durationMs: 12_000 });
    const task = await client.t2i.submit({ prompt: "x" });
    const updates = task.updates();
    const first = await drive(updates.next());
    expect(first).toMatchObject({ done: false, value: { status: "pending" } });
    const statuses: string[] = [(first.value as TaskSnapshot).status];
    for (;;) {
      const next = await drive(updates.next());
      if (next.done) break;
      statuses.push(next.value.status);
    }
    expect(statuses).toEqual(["pending", "processing", "success"]);
    await expect(updates.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("a signal that aborts ends the iteration with UserAbortError naming the task", async () => {
    const { client } = setup({}, { pendingMs: 30_000, durationMs: 60_000 });
    const task = await client.t2v.submit({ prompt: "x" });
    const controller = new AbortController();
    const updates = task.updates({ signal: controller.signal });
    const pending = updates.next().then(() => updates.next());
    await vi.advanceTimersByTimeAsync(3_000);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error).toMatchObject({ taskId: task.id });
    await expect(updates.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("return() ends it at once, and a pending next() resolves done", async () => {
    const { client } = setup({}, { durationMs: 60_000 });
    const task = await client.t2v.submit({ prompt: "x" });
    const updates = task.updates();
    await drive(updates.next());
    const pending = updates.next();
    await expect(updates.return()).resolves.toEqual({ value: undefined, done: true });
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });
});

describe("many waits at once", () => {
  it("a thousand waits on one signal all end with the abort, with no MaxListeners warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const { client } = setup({ maxConcurrentTasks: 10_000 }, { durationMs: 600_000 });
      const task = await client.t2v.submit({ prompt: "x" });
      const controller = new AbortController();
      const waits = Array.from({ length: 1000 }, () => task.wait({ signal: controller.signal }).catch((e: unknown) => e));
      controller.abort();
      const outcomes = await Promise.all(waits);
      expect(outcomes.every((outcome) => outcome instanceof UserAbortError)).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("each wait keeps its own deadline: the shorter one times out, the longer one gets the result", async () => {
    const { client } = setup({}, { durationMs: 20_000 });
    const task = await client.t2v.submit({ prompt: "x" });
    const short = task.wait({ timeout: 5_000 }).catch((e: unknown) => e);
    const long = task.wait({ timeout: 60_000 });
    const [shortOutcome, result] = await drive(Promise.all([short, long]));
    expect(shortOutcome).toBeInstanceOf(WaitTimeoutError);
    expect(result.id).toBe(task.id);
  });
});

describe("an updates() iterator nobody reads", () => {
  it("polls nothing until its first next(), like a generator", async () => {
    const { fake, client } = setup({}, { durationMs: 60_000 });
    const submitted = await client.t2v.submit({ prompt: "x" });
    const other = setup({ fetch: fake.fetch }).client;
    const updates = other.tasks.retrieve(submitted.id).updates();
    await vi.advanceTimersByTimeAsync(30_000);
    const before = fake.countRequests({ method: "GET" });
    const first = await drive(updates.next());
    expect(first).toMatchObject({ done: false, value: { id: submitted.id } });
    expect(fake.countRequests({ method: "GET" })).toBe(before + 1);
    await updates.return();
  });
});
