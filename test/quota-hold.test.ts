import { describe, expect, it, vi } from "vitest";
import { PermissionDeniedError, SubmitOutcomeUnknownError } from "modellix";
import type { FakeModellix } from "modellix/testing";
import { drive, driveToError, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const POST = { method: "POST" };

/** The prompts of the tasks the fake created, in order: which submits were sent. */
const sentPrompts = (fake: FakeModellix) => fake.tasks.map((task) => task.input.prompt);

describe("a slot whose task may still run stays taken", () => {
  it("after a submit whose outcome is unknown, for quotaHoldMs, then the next submit goes", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1, quotaHoldMs: 10_000 });
    fake.inject({ kind: "reset-after-create" }, { match: POST });
    await expect(client.t2i.submit({ prompt: "a" })).rejects.toBeInstanceOf(SubmitOutcomeUnknownError);
    let sent = false;
    const next = client.t2i.submit({ prompt: "b" }).then((task) => {
      sent = true;
      return task;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(sent).toBe(false);
    expect(fake.countRequests(POST)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await next).id).toBe(fake.tasks[1]?.id);
    expect(sentPrompts(fake)).toEqual(["a", "b"]);
    expect(fake.countRequests(POST)).toBe(2);
  });

  it("by default 60 s for an image type and 120 s for a video type", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1 });
    fake.inject({ kind: "status-after-create", status: 502 }, { match: POST, times: 2 });
    await expect(client.t2i.submit({ prompt: "a" })).rejects.toBeInstanceOf(SubmitOutcomeUnknownError);
    const video = client.t2v.submit({ prompt: "b" }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(fake.countRequests(POST)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await video).toBeInstanceOf(SubmitOutcomeUnknownError);
    const image = client.t2i.submit({ prompt: "c" });
    await vi.advanceTimersByTimeAsync(119_999);
    expect(fake.countRequests(POST)).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await image).id).toBe(fake.tasks[2]?.id);
    expect(sentPrompts(fake)).toEqual(["a", "b", "c"]);
  });

  it("after polling gave up on a running task; a task the API no longer knows frees it at once", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1, quotaHoldMs: 30_000, maxRetries: 0 });
    const running = await client.t2i.submit({ prompt: "a" });
    fake.inject({ kind: "status", status: 403 }, { match: { method: "GET" } });
    expect(await driveToError(running.wait(), { maxMs: 5_000 })).toBeInstanceOf(PermissionDeniedError);
    const next = client.t2i.submit({ prompt: "b" });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fake.countRequests(POST)).toBe(1);
    const task = await drive(next);
    expect(fake.countRequests(POST)).toBe(2);
    fake.reset();
    expect(await driveToError(task.wait(), { maxMs: 5_000 })).toMatchObject({ name: "NotFoundError" });
    const last = await client.t2i.submit({ prompt: "c" });
    expect(sentPrompts(fake)).toEqual(["c"]);
    expect(last.id).toBe(fake.tasks[0]?.id);
  });

  it("a 2xx without a task id names the attempt that got it", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "1" } }, { match: POST });
    fake.inject({ kind: "status-after-create", status: 200, message: "success" }, { match: POST });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }))) as SubmitOutcomeUnknownError;
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error).toMatchObject({ reason: "unreadable_response", attempt: 2, status: 200 });
    expect(error.message).toContain("attempt 2");
    expect(fake.tasks).toHaveLength(1);
  });
});
