import { describe, expect, it, vi } from "vitest";
import { AbortError, type BatchItem, type BatchProgress, type BatchResult, SubmitOutcomeUnknownError, TaskFailedError, ValidationError } from "modellix";
import { drive, driveToError, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/a.png";

/** 20 items across seven model types; item 13 is rejected by the content policy. */
function mixedItems(): BatchItem[] {
  const kinds: BatchItem[] = [
    { type: "t2i", prompt: "a lighthouse", size: "1024*768" },
    { type: "i2v", image, prompt: "it waves" },
    { type: "t2v", prompt: "a storm at sea", duration: 4 },
    { type: "i2i", prompt: "make it blue", images: [image] },
    { type: "expansion", image, left_expansion_ratio: 0.5 },
    { type: "r2v", model: "alibaba/wan-2-6-r2v", prompt: "they dance", images: [image] },
    { type: "v2v", model: "bytedance/seedance-2-0-fast-v2v", prompt: "make it rain" },
  ];
  const items = Array.from({ length: 20 }, (_, index) => kinds[index % kinds.length] as BatchItem);
  items[13] = { type: "t2i", prompt: "[fail] rejected" };
  return items;
}

describe("client.batch()", () => {
  it("runs 20 mixed tasks under a quota of 3 with progress, results in input order, one failure kept apart", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 3 });
    const progress: BatchProgress[] = [];
    const results = await drive(client.batch(mixedItems(), { onProgress: (p) => progress.push(p) }));

    expect(fake.maxConcurrentObserved).toBeLessThanOrEqual(3);
    expect(fake.stats.tooManyRequests).toEqual({ concurrency: 0, rateLimit: 0, injected: 0 });
    expect(fake.stats.tasksCreated).toBe(20);
    expect(results.map((result) => result.index)).toEqual([...Array(20).keys()]);
    expect(results.filter((result) => !result.ok).map((result) => result.index)).toEqual([13]);
    const failed = results[13];
    expect(failed?.ok === false && failed.error).toBeInstanceOf(TaskFailedError);
    expect(failed?.task?.id).toBeDefined();
    const video = results[5];
    expect(video?.ok && video.task.type).toBe("r2v");
    expect(video?.ok && video.result.resources[0]?.type).toBe("video");

    expect(progress[0]).toEqual({ total: 20, submitted: 0, running: 0, succeeded: 0, failed: 0 });
    expect(progress.at(-1)).toEqual({ total: 20, submitted: 20, running: 0, succeeded: 19, failed: 1 });
    expect(Math.max(...progress.map((p) => p.running))).toBe(3);
    for (const [i, p] of progress.entries()) {
      expect(p.submitted).toBeGreaterThanOrEqual(progress[i - 1]?.submitted ?? 0);
      expect(p.succeeded + p.failed + p.running).toBeLessThanOrEqual(p.total);
    }
  });

  it("validates every item before the first POST: one ValidationError listing each bad index", async () => {
    const { fake, client } = setup();
    const items = mixedItems();
    items[3] = { type: "t2i", prompt: "x", size: "1024x1024" };
    items[7] = { type: "t2v" } as BatchItem;
    items[9] = { type: "r2v", prompt: "no model" } as BatchItem;
    items[11] = { type: "../t2i", model: "acme/x" };
    items[12] = "not an item" as unknown as BatchItem;
    const run = client.batch(items);
    const error = await driveToError(run);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(["3.size", "7.prompt", "9.model", "11.type", "12"]);
    expect((error as ValidationError).message).toMatch(/^Invalid batch items: 3\.size: must be "W\*H"/);
    await expect((async () => {
      for await (const result of run) expect(result).toBeUndefined();
    })()).rejects.toBe(error);
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a submit whose outcome is unknown as that item's error, and finishes the others", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 500 }, { match: { method: "POST", path: "/api/v1/t2v/bytedance/seedance-2-0-mini-t2v/async" } });
    const results = await drive(client.batch([{ type: "t2i", prompt: "a" }, { type: "t2v", prompt: "b" }, { type: "i2i", prompt: "c", image }]));
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const unknown = results[1] as Extract<BatchResult, { ok: false }>;
    expect(unknown.error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(unknown.task).toBeUndefined();
    expect(fake.countRequests({ method: "POST" })).toBe(3);
  });

  it("as an async iterator, yields each result as it completes, with its index", async () => {
    const { client } = setup();
    const run = client.batch([{ type: "t2v", prompt: "slow video" }, { type: "t2i", prompt: "quick image" }]);
    const order: number[] = [];
    await drive((async () => {
      for await (const result of run) order.push(result.index);
    })());
    expect(order).toEqual([1, 0]);
    expect((await run).map((result) => result.index)).toEqual([0, 1]);
  });

  it("concurrency limits the items in flight; the signal ends the rest with AbortError", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 3 });
    const controller = new AbortController();
    const items: BatchItem[] = Array.from({ length: 4 }, (_, i) => ({ type: "t2i", prompt: `image ${i}` }));
    const run = client.batch(items, { concurrency: 1, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(6_000);
    controller.abort();
    const results = await drive(run);
    expect(fake.maxConcurrentObserved).toBe(1);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: expect.any(AbortError), task: { type: "t2i" } });
    expect(results.slice(2).map((result) => !result.ok && result.error)).toEqual([expect.any(AbortError), expect.any(AbortError)]);
    expect(fake.stats.tasksCreated).toBeLessThan(4);
    await expect(drive(client.batch(items, { concurrency: 0 }))).rejects.toBeInstanceOf(ValidationError);
  });
});
