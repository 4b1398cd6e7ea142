import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { ORIGIN, call, envelope, readTask, submit, submitImage } from "./support.js";

const DAY = 24 * 60 * 60 * 1000;

describe("FakeModellix task lifecycle on the clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-06-01T00:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("moves pending → processing → success as time passes", async () => {
    const fake = new FakeModellix();
    const id = await submitImage(fake, { prompt: "x", size: "640*480" });
    expect(await readTask(fake, id)).toMatchObject({ status: "pending", task_id: id, model_id: "seedream-4-5-t2i" });
    vi.advanceTimersByTime(500);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(2499);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(1);
    expect(await readTask(fake, id)).toEqual({
      task_id: id,
      status: "success",
      model_id: "seedream-4-5-t2i",
      created_at: "2026-06-01T00:00:00.000Z",
      result: {
        resources: [{ url: `${ORIGIN}/files/${id}/0.png`, type: "image", width: 640, height: 480, format: "png" }],
      },
    });
  });

  it("takes longer for videos and reports mp4 with a duration", async () => {
    const fake = new FakeModellix();
    const submitted = await envelope(await submit(fake.fetch, "i2v", "kling/kling-v2-1-i2v", { image: "https://x/a.png", duration: 10 }));
    const id = (submitted.data as { task_id: string }).task_id;
    vi.advanceTimersByTime(7999);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(1);
    const data = await readTask(fake, id);
    expect(data.result).toEqual({
      resources: [{ url: `${ORIGIN}/files/${id}/0.mp4`, type: "video", width: 1280, height: 720, format: "mp4", duration: 10 }],
    });
  });

  it("takes durations and outcomes from options", async () => {
    const fake = new FakeModellix({
      pendingMs: 0,
      durationMs: (task) => (task.input.prompt === "slow" ? 10_000 : 100),
      outcome: (task) => (task.input.prompt === "slow" ? { category: "Timeout", detail: "Took too long", code: "E_TIMEOUT" } : "success"),
    });
    const fast = await submitImage(fake, { prompt: "fast" });
    const slow = await submitImage(fake, { prompt: "slow" });
    expect((await readTask(fake, fast)).status).toBe("processing");
    vi.advanceTimersByTime(100);
    expect((await readTask(fake, fast)).status).toBe("success");
    expect((await readTask(fake, slow)).status).toBe("processing");
    vi.advanceTimersByTime(9900);
    expect(await readTask(fake, slow)).toMatchObject({
      status: "failed",
      error: { code: "E_TIMEOUT", category: "Timeout", detail: "Took too long" },
      message: "Timeout: Took too long",
    });
  });

  it("fails a [fail] prompt with a content-policy error, in a 200 answer", async () => {
    const fake = new FakeModellix();
    const id = await submitImage(fake, { prompt: "a [fail] prompt" });
    vi.advanceTimersByTime(3000);
    const response = await call(fake.fetch, `/tasks/${id}`);
    expect(response.status).toBe(200);
    expect((await envelope(response)).data).toEqual({
      task_id: id,
      status: "failed",
      model_id: "seedream-4-5-t2i",
      created_at: "2026-06-01T00:00:00.000Z",
      error: { code: "CONTENT_POLICY", category: "Content Policy", detail: "The prompt was rejected" },
      message: "Content Policy: The prompt was rejected",
    });
  });

  it("tells expired tasks from unknown ones", async () => {
    const fake = new FakeModellix();
    const id = await submitImage(fake);
    vi.advanceTimersByTime(DAY - 1);
    expect((await readTask(fake, id)).status).toBe("success");
    vi.advanceTimersByTime(1);
    const expired = await call(fake.fetch, `/tasks/${id}`);
    expect(expired.status).toBe(404);
    expect(await envelope(expired)).toEqual({ code: 404, message: "Not Found: Task expired", data: null });
    expect((await envelope(await call(fake.fetch, "/tasks/task-9-zzz"))).message).toBe("Not Found: Task not found");
    expect(fake.tasks[0]).toMatchObject({ id, expired: true, status: "success" });
  });

  it("serves generated files until they expire", async () => {
    const fake = new FakeModellix({ retentionMs: 60_000 });
    const id = await submitImage(fake, { prompt: "x", n: 2 });
    expect((await fake.fetch(`${ORIGIN}/files/${id}/0.png`)).status).toBe(404);
    vi.advanceTimersByTime(3000);
    const resources = ((await readTask(fake, id)).result as { resources: unknown[] }).resources;
    expect(resources).toHaveLength(2);
    const file = await fake.fetch(`${ORIGIN}/files/${id}/1.png`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(file.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(new TextDecoder().decode(bytes.slice(12, 16))).toBe("IHDR");
    expect((await fake.fetch(`${ORIGIN}/files/${id}/2.png`)).status).toBe(404);
    expect((await fake.fetch(`${ORIGIN}/files/${id}/0.mp4`)).status).toBe(404);
    vi.advanceTimersByTime(60_000);
    const expired = await fake.fetch(`${ORIGIN}/files/${id}/0.png`);
    expect(expired.status).toBe(404);
    expect((await envelope(expired)).message).toBe("Not Found: File expired");
  });

  it("keeps each task for its own retention when retentionMs is a function", async () => {
    const fake = new FakeModellix({ durationMs: 1000, retentionMs: (task) => (task.input.prompt === "short" ? 1000 : DAY) });
    const short = await submitImage(fake, { prompt: "short" });
    const long = await submitImage(fake, { prompt: "long" });
    vi.advanceTimersByTime(1000);
    expect((await envelope(await call(fake.fetch, `/tasks/${short}`))).message).toBe("Not Found: Task expired");
    expect((await readTask(fake, long)).status).toBe("success");
  });

  it("serves videos as mp4", async () => {
    const fake = new FakeModellix();
    const submitted = await envelope(await submit(fake.fetch, "t2v", "bytedance/seedance-2-0-mini-t2v", { prompt: "waves" }));
    const id = (submitted.data as { task_id: string }).task_id;
    vi.advanceTimersByTime(8000);
    const file = await fake.fetch(`${ORIGIN}/files/${id}/0.mp4`);
    expect(file.headers.get("content-type")).toBe("video/mp4");
    expect(new TextDecoder().decode(new Uint8Array(await file.arrayBuffer()).slice(4, 8))).toBe("ftyp");
  });

  it("enforces the team quota with 429 and Retry-After, freeing slots as tasks finish", async () => {
    const fake = new FakeModellix();
    for (let i = 0; i < 3; i++) await submitImage(fake);
    const refused = await submit(fake.fetch, "t2i", "bytedance/seedream-4-5-t2i", { prompt: "4th" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await envelope(refused)).message).toBe("Too Many Requests: Team concurrent task limit reached");
    expect(fake.tasks).toHaveLength(3);
    vi.advanceTimersByTime(3000);
    expect((await submit(fake.fetch, "t2i", "bytedance/seedream-4-5-t2i", { prompt: "4th" })).status).toBe(200);
    expect(fake.stats.tooManyRequests).toEqual({ concurrency: 1, rateLimit: 0, injected: 0 });
    expect(fake.maxConcurrentObserved).toBe(3);
  });

  it("computes the highest concurrency from task intervals", async () => {
    const fake = new FakeModellix({ maxConcurrentTasks: 10, pendingMs: 0, durationMs: 1000 });
    await submitImage(fake);
    vi.advanceTimersByTime(500);
    await submitImage(fake);
    vi.advanceTimersByTime(500);
    await submitImage(fake); // the first ended exactly now: still 2 at once
    expect(fake.maxConcurrentObserved).toBe(2);
    await submitImage(fake);
    expect(fake.stats).toMatchObject({ tasksCreated: 4, maxConcurrentObserved: 3 });
    vi.advanceTimersByTime(10_000);
    expect(fake.tasks.map((task) => task.status)).toEqual(["success", "success", "success", "success"]);
  });

  it("accepts an explicit clock", async () => {
    let now = 1_000_000;
    const fake = new FakeModellix({ clock: { now: () => now } });
    const id = await submitImage(fake);
    now += 3000;
    expect((await readTask(fake, id)).status).toBe("success");
    expect(fake.tasks[0]?.createdAt).toBe(1_000_000);
  });
});
