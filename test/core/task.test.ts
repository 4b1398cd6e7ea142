import { describe, expect, it, vi } from "vitest";
import { UserAbortError, NotFoundError, TaskExpiredError, TaskFailedError, WaitTimeoutError } from "modellix";
import { drive, driveToError, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

describe("waiting for a task", () => {
  it("a failed task rejects with TaskFailedError carrying id, category and detail", async () => {
    const { client } = setup();
    const task = await client.t2i.submit({ prompt: "[fail] forbidden" });
    const error = (await driveToError(task.wait())) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({ taskId: task.id, category: "Content Policy", detail: "The prompt was rejected" });
    expect(error.message).toBe(`Task ${task.id} failed: Content Policy: The prompt was rejected`);
  });

  it("wait({ timeout }) throws WaitTimeoutError that still carries the task, which can keep waiting", async () => {
    const { client } = setup({}, { durationMs: 40_000 });
    const task = await client.t2v.submit({ prompt: "long" });
    const error = (await driveToError(task.wait({ timeout: 10_000 }))) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.taskId).toBe(task.id);
    expect(error.task).toBe(task);
    expect(error.timeoutMs).toBe(10_000);
    await expect(drive(error.task.wait())).resolves.toMatchObject({ id: task.id });
  });

  it("the default wait timeout depends on the type: 3 minutes for images", async () => {
    const { client } = setup({}, { durationMs: 10 * 60_000 });
    const task = await client.t2i.submit({ prompt: "very slow" });
    const started = Date.now();
    const error = (await driveToError(task.wait(), { stepMs: 1000 })) as WaitTimeoutError;
    expect(error.timeoutMs).toBe(180_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180_000);
  });

  it("aborting a wait rejects at once with UserAbortError and stops polling a resumed task", async () => {
    const { fake, client } = setup({ pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } }, { durationMs: 60_000 });
    const submitted = await client.t2v.submit({ prompt: "x" });
    const other = setup({ fetch: fake.fetch }).client;
    const controller = new AbortController();
    const outcome = other.tasks.retrieve(submitted.id).wait({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    const polled = fake.countRequests({ method: "GET" });
    expect(polled).toBeGreaterThanOrEqual(3);
    controller.abort();
    expect(await outcome).toBeInstanceOf(UserAbortError);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.countRequests({ method: "GET" })).toBe(polled);
  });

  it("a submitted task whose wait was aborted is polled only until it ends, to free its quota slot", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 }, { durationMs: 20_000 });
    const task = await client.t2v.submit({ prompt: "x" });
    const controller = new AbortController();
    const outcome = task.wait({ signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await outcome).toBeInstanceOf(UserAbortError);
    const next = client.t2v.submit({ prompt: "y" });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(fake.countRequests({ method: "POST" })).toBe(2);
    const second = await next;
    await vi.advanceTimersByTimeAsync(60_000);
    const polls = fake.countRequests({ method: "GET" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.countRequests({ method: "GET" })).toBe(polls);
    expect(second.latest?.status).toBe("success");
  });

  it("a resumed task nobody waits for sends no requests at all", async () => {
    const { fake, client } = setup();
    const task = client.tasks.retrieve("task-someone-elses");
    const controller = new AbortController();
    const waiting = task.wait({ signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await waiting).toBeInstanceOf(UserAbortError);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.countRequests({ method: "GET" })).toBeLessThanOrEqual(1);
  });

  it("a submitted task that status() shows finished is not polled again", async () => {
    const { fake, client } = setup({}, { pendingMs: 0, durationMs: 1000 });
    const task = await client.t2i.submit({ prompt: "x" });
    await vi.advanceTimersByTimeAsync(1500);
    expect((await task.status()).status).toBe("success");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.countRequests({ method: "GET" })).toBe(1);
  });

  it("an already-aborted signal rejects without a request", async () => {
    const { fake, client } = setup();
    await expect(client.tasks.retrieve("task-z").wait({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(UserAbortError);
    await expect(client.t2i.submit({ prompt: "x" }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(UserAbortError);
    expect(fake.requests).toHaveLength(0);
  });

  it("a task past its 7-day retention is a TaskExpiredError; an unknown id is a NotFoundError", async () => {
    const { client } = setup();
    const task = await client.t2i.submit({ prompt: "x" });
    await drive(task.wait());
    vi.advanceTimersByTime(7 * 24 * 60 * 60 * 1000 + 1);
    const expired = (await driveToError(task.status())) as TaskExpiredError;
    expect(expired).toBeInstanceOf(TaskExpiredError);
    expect(expired).toBeInstanceOf(NotFoundError);
    expect(expired.taskId).toBe(task.id);
    expect(expired.message).toContain("has expired");
    const resumed = client.tasks.retrieve(task.id, { createdAt: task.createdAt });
    await expect(drive(resumed.wait())).rejects.toBeInstanceOf(TaskExpiredError);
    const unknown = await driveToError(client.tasks.retrieve("task-never-existed").wait());
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).not.toBeInstanceOf(TaskExpiredError);
  });

  it("onProgress sees every reading", async () => {
    const { client } = setup({}, { pendingMs: 2500, durationMs: 6000 });
    const statuses: string[] = [];
    await drive(client.textToImage({ prompt: "x" }).wait({ onProgress: (s) => statuses.push(s.status) }));
    expect(statuses).toEqual(["pending", "processing", "success"]);
  });
});
