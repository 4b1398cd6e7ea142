import { describe, expect, it, vi } from "vitest";
import { NotFoundError, TaskExpiredError, TaskFailedError } from "modellix";
import { type PollSchedule, defaultPollSchedule, nextPollDelay } from "../../src/poll-schedule.js";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

const schedule: PollSchedule = defaultPollSchedule;
const known = { earliestMs: 6_000, latestMs: 10_000 };

describe("the poll schedule (a pure function)", () => {
  it("backs off for a model it knows nothing of: 2 s, ×1.5, up to 5 s", () => {
    const delays = [0, 1, 2, 3, 4].map((polls) => nextPollDelay({ elapsedMs: 0, polls, runTime: undefined, slotWanted: false }, schedule));
    expect(delays).toEqual([2000, 3000, 4500, 5000, 5000]);
  });

  it("polls a known model first just after its earliest end, then densely until its latest, then backs off", () => {
    const at = (elapsedMs: number) => nextPollDelay({ elapsedMs, polls: 1, runTime: known, slotWanted: false }, schedule);
    expect(at(0)).toBe(6_250); // earliest end + a small margin
    expect(at(6_250)).toBe(1_000); // four steps across the 4 s the run times spread over
    expect(at(9_900)).toBe(1_000);
    expect(at(14_000)).toBe(2_000); // overdue: half the time past the latest end
    expect(at(60_000)).toBe(5_000); // never longer than maxMs
  });

  it("keeps the dense step between minMs and initialMs", () => {
    const exact = { earliestMs: 1_000, latestMs: 1_000 };
    expect(nextPollDelay({ elapsedMs: 0, polls: 0, runTime: exact, slotWanted: false }, schedule)).toBe(1_050);
    expect(nextPollDelay({ elapsedMs: 1_100, polls: 1, runTime: exact, slotWanted: false }, schedule)).toBe(250);
    const wide = { earliestMs: 30_000, latestMs: 120_000 };
    expect(nextPollDelay({ elapsedMs: 40_000, polls: 2, runTime: wide, slotWanted: false }, schedule)).toBe(2_000);
  });

  it("polls a slot holder sooner while submits wait, but not before its earliest end", () => {
    const state = { elapsedMs: 0, polls: 4, runTime: undefined, slotWanted: true };
    expect(nextPollDelay(state, schedule)).toBe(2_000);
    const wide = { earliestMs: 30_000, latestMs: 120_000 };
    expect(nextPollDelay({ ...state, runTime: wide, elapsedMs: 10_000 }, schedule)).toBe(20_250);
    expect(nextPollDelay({ ...state, runTime: wide, elapsedMs: 200_000 }, schedule)).toBe(2_000);
  });
});

describe("waiting learns each model's run time", () => {
  it("after one 6 s task of a model, the next is seen done at its first poll, just after 6 s", async () => {
    const { fake, client } = setup({}, { durationMs: 6_000 });
    await drive(client.t2i.submit({ prompt: "first" }).wait());
    const task = await client.t2i.submit({ prompt: "second" });
    const submittedAt = Date.now();
    const result = await drive(task.wait(), { stepMs: 10 });
    expect(result.id).toBe(task.id);
    expect(fake.countRequests({ route: "task", path: task.id })).toBe(1);
    expect(Date.now() - submittedAt).toBeLessThan(6_300);
  });

  it("a model of unknown run time keeps the backoff", async () => {
    const { fake, client } = setup({}, { durationMs: 6_000 });
    const task = await client.t2i.submit({ prompt: "x" });
    await drive(task.wait(), { stepMs: 10 });
    // 2 s, 5 s, 9.5 s: the third poll sees the end.
    expect(fake.countRequests({ route: "task", path: task.id })).toBe(3);
  });
});

describe("one polling loop per task id", () => {
  it("handles, repeated waits and an iterator started after its poller left share one loop", async () => {
    const { fake, client } = setup({}, { durationMs: 20_000 });
    const task = await client.t2v.submit({ prompt: "x" });
    const other = client.tasks.retrieve(task.id);
    // A wait on the id comes and goes: its poller stays (the submit's slot holds it) and nothing doubles.
    const controller = new AbortController();
    const aborted = other.wait({ signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    await aborted;
    const updates = other.updates();
    const seen: string[] = [];
    const following = (async () => {
      for await (const update of updates) seen.push(update.status);
    })();
    const handles = [task, other, client.tasks.retrieve(task.id)];
    const results = await drive(Promise.all([...handles.map((handle) => handle.wait()), task.wait(), following]));
    const gets = fake.requests.filter((request) => request.method === "GET").map((request) => request.at);
    expect(new Set(gets).size).toBe(gets.length); // never two reads at one time
    expect(gets.length).toBeLessThanOrEqual(7); // 2 s, then ×1.5 up to 5 s over 20 s: one loop's worth
    expect(seen.at(-1)).toBe("success");
    expect(new Set(results.slice(0, 4).map((result) => (result as { id: string }).id))).toEqual(new Set([task.id]));
    // A finished task answers a new wait from what it saw: no request.
    await task.wait();
    expect(fake.countRequests({ method: "GET" })).toBe(gets.length);
  });
});

describe("a finished task keeps nothing running", () => {
  it("after wait(), reading latest, expiresAt and status() leaves no timer behind", async () => {
    const { client } = setup({ maxConcurrentTasks: 20 }, { maxConcurrentTasks: 20 });
    const tasks = await drive(Promise.all(Array.from({ length: 20 }, () => client.t2i.submit({ prompt: "x" }))));
    await drive(Promise.all(tasks.map((task) => task.wait())));
    for (const task of tasks) {
      expect(task.latest?.status).toBe("success");
      expect(task.expiresAt).toBeInstanceOf(Date);
      await drive(task.status());
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a server that answers several submits with one task id frees every submit's slot when the task ends", async () => {
    let firstId: string | undefined;
    const sameId = async (_request: Request, response: Response) => {
      const body = (await response.clone().json()) as { data?: { task_id?: string; status?: string } };
      if (body.data?.status !== "pending" || !body.data.task_id) return undefined;
      firstId ??= body.data.task_id;
      return Response.json({ ...body, data: { ...body.data, task_id: firstId } }, { status: response.status, headers: response.headers });
    };
    const { fake, client } = setup({ maxConcurrentTasks: 2, hooks: { afterResponse: [sameId] } }, { maxConcurrentTasks: 100 });
    const tasks = await Promise.all([client.t2i.submit({ prompt: "a" }), client.t2i.submit({ prompt: "b" })]);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(1);
    await drive(tasks[0].wait());
    // Both slots came back: two more submits go through at once.
    const more = await drive(Promise.all([client.t2i.submit({ prompt: "c" }), client.t2i.submit({ prompt: "d" })]), { maxMs: 10_000 });
    expect(more).toHaveLength(2);
    expect(fake.countRequests({ method: "POST" })).toBe(4);
  });
});

describe("canceled tasks", () => {
  it("end the wait with a TaskFailedError whose status says canceled, and free the quota slot", async () => {
    const { client } = setup({ maxConcurrentTasks: 1 });
    const task = await client.t2i.submit({ prompt: "[cancel] x" });
    const error = await drive(task.wait()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({ status: "canceled", taskId: task.id, message: expect.stringMatching(/was canceled/) });
    expect((error as Error).message).not.toMatch(/Unknown Status/);
    expect(task.latest?.status).toBe("canceled");
    await vi.advanceTimersByTimeAsync(0);
    expect(client.queue.running).toBe(0);
  });
});

describe("expiry in any unit", () => {
  for (const timeUnit of ["s", "ms", "iso"] as const) {
    it(`result_expires_at in ${timeUnit} is about 7 days ahead, and a second wait() still resolves`, async () => {
      const { client } = setup({}, { timeUnit });
      const task = await client.t2i.submit({ prompt: "x" });
      const result = await drive(task.wait());
      const days = ((result.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
      await expect(task.wait()).resolves.toMatchObject({ id: task.id });
    });
  }

  it("an out-of-range result_expires_at is no expiry at all, never an Invalid Date", async () => {
    const huge = async (_request: Request, response: Response) => {
      const body = (await response.clone().json()) as { data?: Record<string, unknown> };
      if (body.data?.status !== "success") return undefined;
      return Response.json({ ...body, data: { ...body.data, result_expires_at: 1e16 } }, { status: response.status, headers: response.headers });
    };
    const { client } = setup({ hooks: { afterResponse: [huge] } });
    const result = await drive(client.t2i.submit({ prompt: "x" }).wait());
    expect(result.expiresAt).toBeUndefined();
  });

  it("without an expiry time, a 404 is 'expired' only for a task older than 7 days", async () => {
    const { client } = setup();
    const twoDays = client.tasks.retrieve("task-gone", { createdAt: Date.now() - 2 * 86_400_000 });
    const eightDays = client.tasks.retrieve("task-gone", { createdAt: Date.now() - 8 * 86_400_000 });
    const young = await twoDays.status().catch((e: unknown) => e);
    expect(young).toBeInstanceOf(NotFoundError);
    expect(young).not.toBeInstanceOf(TaskExpiredError);
    await expect(eightDays.status()).rejects.toBeInstanceOf(TaskExpiredError);
  });
});
