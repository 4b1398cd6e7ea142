import { describe, expect, it, vi } from "vitest";
import { UserAbortError, type BatchItem, type BatchProgress, type BatchResult, SubmitOutcomeUnknownError, TaskFailedError, ValidationError } from "modellix";
import { drive, driveToError, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/a.png";
const video = "https://example.com/a.mp4";

/** 20 items across seven model types; item 13 is rejected by the content policy. */
function mixedItems(): BatchItem[] {
  const kinds: BatchItem[] = [
    { type: "t2i", model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" },
    { type: "i2v", first_frame_image: image, prompt: "it waves" },
    { type: "t2v", prompt: "a storm at sea", duration: 5 },
    { type: "i2i", prompt: "make it blue", image: [image] },
    { type: "expansion", image, prompt: "more sky" },
    { type: "r2v", model: "vidu/viduq3-mix-r2v", prompt: "they dance", reference_images: [image] },
    { type: "v2v", prompt: "make it rain", video_urls: [video] },
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
    expect(video?.ok && video.task.model).toBe("vidu/viduq3-mix-r2v");
    expect(video?.ok && video.result.resources[0]?.type).toBe("video");

    expect(progress[0]).toEqual({ total: 20, submitted: 0, resumed: 0, running: 0, succeeded: 0, failed: 0 });
    expect(progress.at(-1)).toEqual({ total: 20, submitted: 20, resumed: 0, running: 0, succeeded: 19, failed: 1 });
    expect(Math.max(...progress.map((p) => p.running))).toBe(3);
    for (const [i, p] of progress.entries()) {
      expect(p.submitted).toBeGreaterThanOrEqual(progress[i - 1]?.submitted ?? 0);
      expect(p.succeeded + p.failed + p.running).toBeLessThanOrEqual(p.total);
    }
  });

  it("validates every item before the first POST: one ValidationError listing each bad index", async () => {
    const { fake, client } = setup();
    const items = mixedItems();
    items[3] = { type: "t2i", model: "bytedance/seedream-4.5-t2i", prompt: "x", size: "1024*1024" };
    items[7] = { type: "t2v" } as BatchItem;
    items[9] = { type: "r2v", prompt: "no model" } as BatchItem;
    items[11] = { type: "t2i", model: "../x" };
    items[12] = "not an item" as unknown as BatchItem;
    const run = client.batch(items);
    const error = await driveToError(run);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((issue) => issue.path);
    expect(paths.map((path) => path.split(".")[0])).toEqual(["3", "7", "9", "11", "12"]);
    expect(paths).toEqual(expect.arrayContaining(["3.size", "7.prompt", "9.model", "11.model"]));
    expect((error as ValidationError).message).toMatch(/^Invalid batch items: 3\.size: /);
    await expect((async () => {
      for await (const result of run) expect(result).toBeUndefined();
    })()).rejects.toBe(error);
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a submit whose outcome is unknown as that item's error, and finishes the others", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 500 }, { match: { method: "POST", path: "/api/v1/bytedance/seedance-2.0-mini-t2v" } });
    const results = await drive(client.batch([{ type: "t2i", prompt: "a" }, { type: "t2v", prompt: "b" }, { type: "i2i", prompt: "c", image: [image] }]));
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

  it("concurrency limits the items in flight; the signal ends the rest with UserAbortError", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 3 });
    const controller = new AbortController();
    const items: BatchItem[] = Array.from({ length: 4 }, (_, i) => ({ type: "t2i", prompt: `image ${i}` }));
    const run = client.batch(items, { concurrency: 1, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(6_000);
    controller.abort();
    const results = await drive(run);
    expect(fake.maxConcurrentObserved).toBe(1);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: expect.any(UserAbortError), task: { type: "t2i" } });
    expect(results.slice(2).map((result) => !result.ok && result.error)).toEqual([expect.any(UserAbortError), expect.any(UserAbortError)]);
    expect(fake.stats.tasksCreated).toBeLessThan(4);
    await expect(drive(client.batch(items, { concurrency: 0 }))).rejects.toBeInstanceOf(ValidationError);
  });

  it("uploads the files in an item, then posts their URLs", async () => {
    const { fake, client } = setup();
    const photo = new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: "image/png" });
    const [result] = await drive(client.batch([{ type: "i2i", prompt: "make it blue", image: [photo] }]));
    expect(result?.ok).toBe(true);
    expect(fake.stats.filesUploaded).toBe(1);
    const submit = fake.requests.find((request) => request.route === "submit");
    expect(submit?.body).toEqual({ prompt: "make it blue", image: [fake.files[0]?.url] });
  });

  it("an onProgress that throws neither rejects the batch nor leaves its paid tasks unwatched (issue 11, defect 15)", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 3 });
    const items: BatchItem[] = Array.from({ length: 6 }, (_, i) => ({ type: "t2i", prompt: `image ${i}` }));
    let calls = 0;
    const results = await drive(
      client.batch(items, {
        onProgress: () => {
          calls++;
          throw new Error("progress bar crashed");
        },
      }),
    );
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true, true]);
    expect(fake.stats.tasksCreated).toBe(6);
    expect(fake.countRequests({ route: "submit" })).toBe(6);
    expect(calls).toBeGreaterThan(6);
    expect(client.queue.running).toBe(0);
  });
});
