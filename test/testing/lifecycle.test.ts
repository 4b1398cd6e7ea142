import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_TRANSCRIPT, FakeModellix } from "../../src/testing/index.js";
import { IMAGE_MODEL, ORIGIN, call, envelope, readTask, submit, submitTask } from "./support.js";

const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;
const T0 = Date.parse("2026-06-01T00:00:00Z");

describe("FakeModellix task lifecycle on the clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it("moves pending → processing → success, then reports the result and result_expires_at", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake, { prompt: "x", size: "2048x1536" });
    expect(await readTask(fake, id)).toEqual({ task_id: id, status: "pending", model_id: "seedream-4.5-t2i" });
    vi.advanceTimersByTime(500);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(2499);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(1);
    expect(await readTask(fake, id)).toEqual({
      task_id: id,
      status: "success",
      model_id: "seedream-4.5-t2i",
      result: {
        resources: [{ url: `${ORIGIN}/files/${id}/0.png`, type: "image", width: 2048, height: 1536, format: "png" }],
        extensions: { submit_time: T0, end_time: T0 + 3000 },
      },
      result_expires_at: T0 + 3000 + WEEK,
    });
  });

  it("takes sizes in either format, or from an aspect ratio, and counts several images", async () => {
    const fake = new FakeModellix({ pendingMs: 0, durationMs: 0, maxConcurrentTasks: 10 });
    const cases: Array<[string, Record<string, unknown>, number, number, number]> = [
      ["alibaba/qwen-image-2.0", { prompt: "x", size: "1536*2688", n: 3 }, 1536, 2688, 3],
      ["google/nano-banana-2", { prompt: "x", aspectRatio: "16:9" }, 1024, 576, 1],
      [IMAGE_MODEL, { prompt: "x", sequential_image_generation: "auto", sequential_image_generation_max_images: 4 }, 1024, 1024, 4],
      [IMAGE_MODEL, { prompt: "x", sequential_image_generation_max_images: 4 }, 1024, 1024, 1],
    ];
    for (const [slug, body, width, height, count] of cases) {
      const id = await submitTask(fake, body, slug);
      const resources = ((await readTask(fake, id)).result as { resources: Array<Record<string, unknown>> }).resources;
      expect(resources, slug).toHaveLength(count);
      expect(resources[count - 1]).toMatchObject({ url: `${ORIGIN}/files/${id}/${count - 1}.png`, width, height });
    }
  });

  it("takes longer for videos and reports an mp4 with size and duration", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake, { prompt: "x", first_frame_image: "https://x/a.png", duration: 10, ratio: "9:16" }, "bytedance/seedance-2.0-fast-i2v");
    vi.advanceTimersByTime(7999);
    expect((await readTask(fake, id)).status).toBe("processing");
    vi.advanceTimersByTime(1);
    const data = await readTask(fake, id);
    expect(data.result).toEqual({
      resources: [{ url: `${ORIGIN}/files/${id}/0.mp4`, type: "video", width: 720, height: 1280, format: "mp4", duration: 10 }],
      extensions: { submit_time: T0, end_time: T0 + 8000 },
    });
    expect(fake.tasks[0]).toMatchObject({ type: "image-to-video", output: "video" });
  });

  it("produces audio for text-to-speech and speech-to-speech, served as wav", async () => {
    const fake = new FakeModellix();
    const tts = await submitTask(fake, { text: "hello", voice: "Cherry" }, "alibaba/qwen-audio-3.0-tts-flash");
    const sts = await submitTask(fake, { url: "https://x/voice.wav", text: "hello" }, "alibaba/cosyvoice-clone");
    vi.advanceTimersByTime(3000);
    for (const id of [tts, sts]) {
      expect((await readTask(fake, id)).result).toEqual({
        resources: [{ url: `${ORIGIN}/files/${id}/0.wav`, type: "audio", format: "wav", duration: 0.1 }],
        extensions: { submit_time: T0, end_time: T0 + 3000 },
      });
    }
    const file = await fake.fetch(`${ORIGIN}/files/${tts}/0.wav`);
    expect(file.headers.get("content-type")).toBe("audio/wav");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const ascii = (from: number, to: number) => new TextDecoder().decode(bytes.slice(from, to));
    expect([ascii(0, 4), ascii(8, 12), ascii(36, 40)]).toEqual(["RIFF", "WAVE", "data"]);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.byteLength - 8);
  });

  it("reports a speech-to-text transcript in result.metadata.text, with no files", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake, { url: "https://x/speech.mp3" }, "openai/whisper-1");
    vi.advanceTimersByTime(3000);
    expect(await readTask(fake, id)).toEqual({
      task_id: id,
      status: "success",
      model_id: "whisper-1",
      result: { resources: [], metadata: { text: FAKE_TRANSCRIPT }, extensions: { submit_time: T0, end_time: T0 + 3000 } },
      result_expires_at: T0 + 3000 + WEEK,
    });
    expect((await fake.fetch(`${ORIGIN}/files/${id}/0.wav`)).status).toBe(404);
  });

  it("takes durations and outcomes from options", async () => {
    const fake = new FakeModellix({
      pendingMs: 0,
      durationMs: (task) => (task.input.prompt === "slow" ? 10_000 : 100),
      outcome: (task) => (task.input.prompt === "slow" ? { category: "Timeout", detail: "Took too long", code: "E_TIMEOUT" } : "success"),
    });
    const fast = await submitTask(fake, { prompt: "fast" });
    const slow = await submitTask(fake, { prompt: "slow" });
    expect((await readTask(fake, fast)).status).toBe("processing");
    vi.advanceTimersByTime(100);
    expect((await readTask(fake, fast)).status).toBe("success");
    expect((await readTask(fake, slow)).status).toBe("processing");
    vi.advanceTimersByTime(9900);
    expect(await readTask(fake, slow)).toEqual({
      task_id: slow,
      status: "failed",
      model_id: "seedream-4.5-t2i",
      message: "Timeout: Took too long",
      code: "E_TIMEOUT",
      error: { code: "E_TIMEOUT", category: "Timeout", detail: "Took too long" },
      result_expires_at: T0 + 10_000 + WEEK,
    });
  });

  it("fails a [fail] prompt or text with a content-policy error, in a 200 answer", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake, { prompt: "a [fail] prompt" });
    const spoken = await submitTask(fake, { text: "[fail]", voice: "Cherry" }, "alibaba/qwen-audio-3.0-tts-flash");
    vi.advanceTimersByTime(3000);
    const response = await call(fake.fetch, `/tasks/${id}`);
    expect(response.status).toBe(200);
    expect((await envelope(response)).data).toMatchObject({
      status: "failed",
      message: "Content Policy: The prompt was rejected",
      code: "CONTENT_POLICY",
      error: { code: "CONTENT_POLICY", category: "Content Policy", detail: "The prompt was rejected" },
    });
    expect((await readTask(fake, spoken)).status).toBe("failed");
  });

  it("answers 404 from result_expires_at on, and tells expired tasks from unknown ones", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake);
    vi.advanceTimersByTime(3000);
    const expiresAt = (await readTask(fake, id)).result_expires_at as number;
    expect(expiresAt).toBe(Date.now() + WEEK);
    vi.setSystemTime(expiresAt - 1);
    expect((await readTask(fake, id)).status).toBe("success");
    vi.setSystemTime(expiresAt);
    const expired = await call(fake.fetch, `/tasks/${id}`);
    expect(expired.status).toBe(404);
    expect(await envelope(expired)).toEqual({ code: 404, message: "Not Found: Task expired" });
    expect((await envelope(await call(fake.fetch, "/tasks/task-9-zzz"))).message).toBe("Not Found: Task not found");
    expect(fake.tasks[0]).toMatchObject({ id, expired: true, status: "success", expiresAt });
  });

  it("serves generated files until they expire", async () => {
    const fake = new FakeModellix({ retentionMs: 60_000 });
    const id = await submitTask(fake, { prompt: "x", sequential_image_generation: "auto", sequential_image_generation_max_images: 2 });
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
    const short = await submitTask(fake, { prompt: "short" });
    const long = await submitTask(fake, { prompt: "long" });
    vi.advanceTimersByTime(2000);
    expect((await envelope(await call(fake.fetch, `/tasks/${short}`))).message).toBe("Not Found: Task expired");
    expect(await readTask(fake, long)).toMatchObject({ status: "success", result_expires_at: T0 + 1000 + DAY });
  });

  it("serves videos as mp4", async () => {
    const fake = new FakeModellix();
    const id = await submitTask(fake, { prompt: "waves" }, "alibaba/wan2.6-t2v");
    vi.advanceTimersByTime(8000);
    const file = await fake.fetch(`${ORIGIN}/files/${id}/0.mp4`);
    expect(file.headers.get("content-type")).toBe("video/mp4");
    expect(new TextDecoder().decode(new Uint8Array(await file.arrayBuffer()).slice(4, 8))).toBe("ftyp");
  });

  it("enforces the team quota with 429 and Retry-After, freeing slots as tasks finish", async () => {
    const fake = new FakeModellix();
    for (let i = 0; i < 3; i++) await submitTask(fake);
    const refused = await submit(fake.fetch, IMAGE_MODEL, { prompt: "4th" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await envelope(refused)).toEqual({ code: 429, message: "Too Many Requests: Team concurrent task limit reached" });
    expect(fake.tasks).toHaveLength(3);
    vi.advanceTimersByTime(3000);
    expect((await submit(fake.fetch, IMAGE_MODEL, { prompt: "4th" })).status).toBe(200);
    expect(fake.stats.tooManyRequests).toEqual({ concurrency: 1, rateLimit: 0, injected: 0 });
    expect(fake.maxConcurrentObserved).toBe(3);
  });

  it("checks the model and the body before the quota", async () => {
    const fake = new FakeModellix({ maxConcurrentTasks: 1 });
    await submitTask(fake);
    expect((await submit(fake.fetch, "acme/none", { prompt: "x" })).status).toBe(404);
    expect((await submit(fake.fetch, IMAGE_MODEL, {})).status).toBe(400);
    expect((await submit(fake.fetch, IMAGE_MODEL, { prompt: "x" })).status).toBe(429);
  });

  it("computes the highest concurrency from task intervals", async () => {
    const fake = new FakeModellix({ maxConcurrentTasks: 10, pendingMs: 0, durationMs: 1000 });
    await submitTask(fake);
    vi.advanceTimersByTime(500);
    await submitTask(fake);
    vi.advanceTimersByTime(500);
    await submitTask(fake); // the first ended exactly now: still 2 at once
    expect(fake.maxConcurrentObserved).toBe(2);
    await submitTask(fake);
    expect(fake.stats).toMatchObject({ tasksCreated: 4, maxConcurrentObserved: 3 });
    vi.advanceTimersByTime(10_000);
    expect(fake.tasks.map((task) => task.status)).toEqual(["success", "success", "success", "success"]);
  });

  it("accepts an explicit clock", async () => {
    let now = 1_000_000;
    const fake = new FakeModellix({ clock: { now: () => now } });
    const id = await submitTask(fake);
    now += 3000;
    expect(await readTask(fake, id)).toMatchObject({ status: "success", result_expires_at: 1_003_000 + WEEK });
    expect(fake.tasks[0]?.createdAt).toBe(1_000_000);
  });
});
