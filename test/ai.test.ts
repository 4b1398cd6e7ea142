/**
 * `modellix/ai` through the real AI SDK (`generateImage`, `experimental_generateVideo`,
 * `generateSpeech`, `transcribe`) against the fake Modellix: the bodies each model family
 * receives, the warnings a user sees, `n` under the team quota, errors, and no second paid
 * task however the AI SDK retries.
 */
import {
  APICallError,
  experimental_generateVideo as generateVideo,
  experimental_getVideoStatus as getVideoStatus,
  experimental_startVideo as startVideo,
  generateImage,
  generateSpeech,
  transcribe,
} from "ai";
import { UserAbortError, type ModellixOptions, SubmitOutcomeUnknownError, ValidationError } from "modellix";
import { createModellix, modellix as defaultProvider } from "modellix/ai";
import { FAKE_TRANSCRIPT, type FakeModellix, type FakeModellixOptions } from "modellix/testing";
import { describe, expect, it, vi } from "vitest";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

// The warnings are asserted on the results; the AI SDK need not print them too.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** A fake Modellix, a client on it, and the provider over that client. */
function provider(clientOptions: ModellixOptions = {}, fakeOptions: FakeModellixOptions = {}) {
  const { fake, client } = setup(clientOptions, fakeOptions);
  return { fake, client, modellix: createModellix(client) };
}

/** The bodies of the paid POSTs the fake received, in order. */
const submitted = (fake: FakeModellix) => fake.requests.filter((request) => request.route === "submit").map((request) => request.body);
/** The paths the paid POSTs went to. */
const submitPaths = (fake: FakeModellix) => fake.requests.filter((request) => request.route === "submit").map((request) => request.path);
const uploads = (fake: FakeModellix) => fake.requests.filter((request) => request.route === "media-files");

/** A 1×1 PNG, as a user's input image. */
const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mPwz33wHwAFRwKcgqBU6wAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

describe("generateImage", () => {
  it("Seedream 4.5: one task with the size as WIDTHxHEIGHT; the image, its task and expiry come back", async () => {
    const { fake, modellix } = provider();
    const result = await drive(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a lighthouse", size: "2048x2048" }));
    expect(submitPaths(fake)).toEqual(["/api/v1/bytedance/seedream-4.5-t2i"]);
    expect(submitted(fake)).toEqual([{ prompt: "a lighthouse", size: "2048x2048" }]);
    expect(result.images).toHaveLength(1);
    expect(result.image.mediaType).toBe("image/png");
    expect(result.image.uint8Array.slice(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    expect(result.warnings).toEqual([]);
    const task = fake.tasks[0];
    expect(result.providerMetadata.modellix?.images).toEqual([
      {
        taskId: task?.id,
        model: "bytedance/seedream-4.5-t2i",
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        url: expect.stringContaining(`/files/${task?.id}/0.png`),
        width: 2048,
        height: 2048,
      },
    ]);
  });

  it.each([
    ["alibaba/qwen-image", { size: "1328x1328" }, { size: "1328*1328" }, []],
    ["alibaba/qwen-image", { size: "1024x1024" }, { size: "1328*1328" }, [{ type: "compatibility", feature: "size" }]],
    ["alibaba/qwen-image", { aspectRatio: "16:9" }, { size: "1664*928" }, [{ type: "compatibility", feature: "aspectRatio" }]],
    ["alibaba/wan2.6-t2i", { size: "1024x768" }, { size: "1024*768" }, []],
    ["google/nano-banana-2", { aspectRatio: "3:2" }, { aspectRatio: "3:2" }, []],
    ["google/nano-banana-2", { size: "2048x1152" }, { aspectRatio: "16:9", imageSize: "2K" }, [{ type: "compatibility", feature: "size" }]],
    ["kling/kling-v2-t2i", { size: "1024x1024" }, { aspect_ratio: "1:1", resolution: "1k" }, [{ type: "compatibility", feature: "size" }]],
    ["minimax/minimax-image-01-t2i", { size: "1024x768", seed: 7 }, { width: 1024, height: 768, seed: 7 }, []],
  ] as const)("%s with %j sends %j", async (slug, options, fields, warnings) => {
    const { fake, modellix } = provider();
    const result = await drive(generateImage({ model: modellix.image(slug), prompt: "a fox", ...options }));
    expect(submitted(fake)).toEqual([{ prompt: "a fox", ...fields }]);
    expect(result.warnings).toEqual(warnings.map((warning) => expect.objectContaining(warning)));
  });

  it("a setting the model lacks is dropped with an unsupported warning, not sent", async () => {
    const { fake, modellix } = provider();
    const result = await drive(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", seed: 42, aspectRatio: "1:1" }));
    expect(submitted(fake)).toEqual([{ prompt: "a fox" }]);
    expect(result.warnings).toEqual([
      { type: "unsupported", feature: "aspectRatio", details: expect.stringContaining("give a size instead") },
      { type: "unsupported", feature: "seed", details: "bytedance/seedream-4.5-t2i has no parameter for it, so it was not sent" },
    ]);
  });

  it("providerOptions.modellix is merged into the body last", async () => {
    const { fake, modellix } = provider();
    await drive(
      generateImage({
        model: modellix.image("bytedance/seedream-4.5-t2i"),
        prompt: "a fox",
        size: "2048x2048",
        providerOptions: { modellix: { size: "2560x1440", sequential_image_generation: "disabled" } },
      }),
    );
    expect(submitted(fake)).toEqual([{ prompt: "a fox", size: "2560x1440", sequential_image_generation: "disabled" }]);
  });

  it("a model the catalog does not know gets its prompt and providerOptions; other settings are dropped with a warning", async () => {
    const { fake, modellix } = provider({}, { strictModels: false });
    const result = await drive(
      generateImage({ model: modellix.image("acme/brand-new-t2i"), prompt: "a fox", size: "1024x1024", providerOptions: { modellix: { size: "1024*1024" } } }),
    );
    expect(submitted(fake)).toEqual([{ prompt: "a fox", size: "1024*1024" }]);
    expect(result.warnings).toEqual([{ type: "unsupported", feature: "size", details: expect.stringContaining("providerOptions.modellix") }]);
  });

  it("a doc spelling of the slug is sent as the real slug", async () => {
    const { fake, modellix } = provider();
    await drive(generateImage({ model: modellix.image("bytedance/seedream-4-5-t2i"), prompt: "a fox" }));
    expect(submitPaths(fake)).toEqual(["/api/v1/bytedance/seedream-4.5-t2i"]);
  });

  it("input images are uploaded through the media-file API and sent as the model's image field", async () => {
    const { fake, modellix } = provider();
    await drive(
      generateImage({
        model: modellix.image("bytedance/seedream-5.0-lite-edit"),
        prompt: { text: "make it blue", images: [png, "https://example.com/cat.png"] },
      }),
    );
    expect(uploads(fake).map((request) => request.body)).toEqual([{ file: { filename: "upload", contentType: "image/png", size: png.length } }]);
    expect(submitted(fake)).toEqual([{ prompt: "make it blue", image: [fake.files[0]?.url, "https://example.com/cat.png"] }]);
  });

  it("two images go to a try-on model's human_image and cloth_image; it takes no prompt", async () => {
    const { fake, modellix } = provider();
    const result = await drive(
      generateImage({
        model: modellix.image("kling/kolors-virtual-try-on-v1-5"),
        prompt: { text: "try it on", images: ["https://example.com/person.png", "https://example.com/shirt.png"] },
      }),
    );
    expect(submitted(fake)).toEqual([{ human_image: "https://example.com/person.png", cloth_image: "https://example.com/shirt.png" }]);
    expect(result.warnings).toEqual([expect.objectContaining({ type: "unsupported", feature: "prompt" })]);
  });

  it("n: 4 makes 4 tasks, never more running than the client's team quota", async () => {
    const { fake, modellix } = provider({ maxConcurrentTasks: 2 }, { maxConcurrentTasks: 2 });
    const result = await drive(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", n: 4 }));
    expect(result.images).toHaveLength(4);
    expect(fake.tasks).toHaveLength(4);
    expect(fake.maxConcurrentObserved).toBe(2);
    expect(fake.stats.tooManyRequests.concurrency).toBe(0);
    const taskIds = result.providerMetadata.modellix?.images.map((image) => (image as { taskId: string }).taskId);
    expect(new Set(taskIds)).toEqual(new Set(fake.tasks.map((task) => task.id)));
  });

  it("a model that makes several images per task gets them in one task (Qwen's n, Imagen's sampleCount)", async () => {
    const { fake, modellix } = provider();
    const qwen = await drive(generateImage({ model: modellix.image("alibaba/qwen-image-2.0"), prompt: "a fox", n: 4 }));
    const imagen = await drive(generateImage({ model: modellix.image("google/imagen-4.0-generate-001"), prompt: "a fox", n: 2 }));
    expect(qwen.images).toHaveLength(4);
    expect(imagen.images).toHaveLength(1); // the fake makes one image per task unless asked through `n`
    expect(submitted(fake)).toEqual([
      { prompt: "a fox", n: 4 },
      { prompt: "a fox", sampleCount: 2 },
    ]);
  });

  it("the model's own validation runs before any request", async () => {
    const { fake, modellix } = provider();
    const error = await driveToError(
      generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", providerOptions: { modellix: { optimize_prompt_mode: "fast" } } }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "optimize_prompt_mode", message: 'must be "standard" (got "fast")' }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("a model of another kind is refused before any request, naming the right method", async () => {
    const { fake, modellix } = provider();
    const error = await driveToError(generateImage({ model: modellix.image("alibaba/wan2.6-t2v"), prompt: "a fox" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('is a text-to-video model: use modellix.video("alibaba/wan2.6-t2v")');
    expect(fake.requests).toHaveLength(0);
  });
});

describe("experimental_generateVideo", () => {
  it("Seedance 2.0 mini: duration and aspect ratio in its own fields; the video comes back as bytes", async () => {
    const { fake, modellix } = provider();
    const result = await drive(generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", duration: 5, aspectRatio: "16:9" }));
    expect(submitted(fake)).toEqual([{ prompt: "waves", ratio: "16:9", duration: 5 }]);
    expect(result.videos).toHaveLength(1);
    expect(result.video.mediaType).toBe("video/mp4");
    expect(result.warnings).toEqual([]);
    const task = fake.tasks[0];
    expect(result.providerMetadata.modellix).toMatchObject({ taskId: task?.id, model: "bytedance/seedance-2.0-mini-t2v", expiresAt: expect.any(String) });
    expect(result.providerMetadata.modellix?.videos).toEqual([expect.objectContaining({ taskId: task?.id, width: 1280, height: 720, duration: 5 })]);
  });

  it.each([
    ["bytedance/seedance-2.0-mini-t2v", { resolution: "1280x720" }, { ratio: "16:9", resolution: "720p" }, [{ type: "compatibility", feature: "resolution" }]],
    [
      "bytedance/seedance-1.5-pro-t2v",
      { aspectRatio: "2:1", generateAudio: true, seed: 7, fps: 24 },
      { ratio: "16:9", seed: 7, generate_audio: true },
      [{ type: "compatibility", feature: "aspectRatio" }, { type: "unsupported", feature: "fps" }],
    ],
    ["alibaba/wan2.6-t2v", { resolution: "1920x1080" }, { size: "1920*1080" }, []],
    ["alibaba/wan2.6-t2v", { aspectRatio: "9:16" }, { size: "720*1280" }, [{ type: "compatibility", feature: "aspectRatio" }]],
    ["kling/kling-v2.6-t2v", { generateAudio: false, duration: 10 }, { duration: 10, sound: "off" }, []],
    ["google/veo-3.1-t2v", { duration: 6, aspectRatio: "9:16", resolution: "1080x1920" }, { aspectRatio: "9:16", durationSeconds: "6", resolution: "1080p" }, [{ type: "compatibility", feature: "resolution" }]],
  ] as const)("%s with %j sends %j", async (slug, options, fields, warnings) => {
    const { fake, modellix } = provider();
    const result = await drive(generateVideo({ model: modellix.video(slug), prompt: "waves", ...options }));
    expect(submitted(fake)).toEqual([{ prompt: "waves", ...fields }]);
    expect(result.warnings).toEqual(warnings.map((warning) => expect.objectContaining(warning)));
  });

  it("takes the AI SDK's webhook option: the URL goes with the submit, and the wait ends at the delivery, confirmed by a read", async () => {
    let deliver: (webhook: { headers: Record<string, string>; body: null }) => void = () => undefined;
    const received = new Promise<{ headers: Record<string, string>; body: null }>((resolve) => (deliver = resolve));
    const webhookFetch = async (_url: string | URL | Request, init?: RequestInit) => {
      deliver({ headers: Object.fromEntries(new Headers(init?.headers)), body: null });
      return new Response(null, { status: 200 });
    };
    const { fake, modellix } = provider({}, { durationMs: 60_000, webhookFetch: webhookFetch as typeof fetch });
    const delivering = setInterval(() => void fake.deliverWebhooks(), 1000);
    const hook = "https://app.example.com/hooks/video";
    try {
      const result = await drive(generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", webhook: async () => ({ url: hook, received }) }));
      expect(result.videos).toHaveLength(1);
    } finally {
      clearInterval(delivering);
    }
    const submit = fake.requests.find((request) => request.route === "submit");
    expect(submit?.headers["x-webhook-url"]).toBe(hook);
    // Polling every 5 s (the AI SDK's default) would read the task 12 times in its 60 s; the webhook's safety net reads it every 30 s.
    expect(fake.countRequests({ route: "task" })).toBeLessThanOrEqual(5);
  });

  it("a start image and a last frame are uploaded and sent as the model's frame fields", async () => {
    const { fake, modellix } = provider();
    await drive(
      generateVideo({
        model: modellix.video("bytedance/seedance-2.0-fast-i2v"),
        prompt: { image: png, text: "the cat waves" },
        frameImages: [{ image: "https://example.com/end.png", frameType: "last_frame" }],
      }),
    );
    expect(uploads(fake)).toHaveLength(1);
    expect(submitted(fake)).toEqual([{ prompt: "the cat waves", first_frame_image: fake.files[0]?.url, last_frame_image: "https://example.com/end.png" }]);
  });

  it("reference videos go to a video-to-video model's video field", async () => {
    const { fake, modellix } = provider();
    await drive(
      generateVideo({
        model: modellix.video("bytedance/seedance-2.0-fast-v2v"),
        prompt: "make it night",
        inputReferences: ["https://example.com/day.mp4", "https://example.com/style.png"],
      }),
    );
    expect(submitted(fake)).toEqual([{ prompt: "make it night", reference_images: ["https://example.com/style.png"], video_urls: ["https://example.com/day.mp4"] }]);
  });

  it("an invalid duration is refused before any request", async () => {
    const { fake, modellix } = provider();
    const error = await driveToError(generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", duration: 30 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "duration", message: "must be between 4 and 15 (got 30)" }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("with `poll`, the AI SDK drives the polling through doStart and doStatus: one task", async () => {
    const { fake, modellix } = provider();
    const result = await drive(
      generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", duration: 5, poll: { intervalMs: 1000, timeoutMs: 60_000 } }),
    );
    expect(result.videos).toHaveLength(1);
    expect(fake.tasks).toHaveLength(1);
    expect(result.providerMetadata.modellix).toMatchObject({ taskId: fake.tasks[0]?.id });
    // doStart's call carries the AI SDK's idempotency key, and the client's own User-Agent.
    const [submit] = fake.requests.filter((request) => request.route === "submit");
    expect(submit?.headers["idempotency-key"]).toMatch(/^aisdk_vid_/);
    expect(submit?.headers["user-agent"]).toMatch(/^modellix-js\//);
  });

  it("experimental_startVideo returns the task as its operation; experimental_getVideoStatus reads it", async () => {
    const { fake, modellix } = provider();
    const model = modellix.video("bytedance/seedance-2.0-mini-t2v");
    const started = await drive(startVideo({ model, prompt: "waves" }));
    const taskId = fake.tasks[0]?.id;
    expect(started.operation).toEqual({ taskId, model: "bytedance/seedance-2.0-mini-t2v", namespace: "t2v" });
    expect(await getVideoStatus(model, { operation: started.operation })).toMatchObject({ status: "pending" });
    await vi.advanceTimersByTimeAsync(10_000);
    const done = await getVideoStatus(model, { operation: started.operation });
    expect(done).toMatchObject({ status: "completed", videos: [expect.objectContaining({ type: "binary", mediaType: "video/mp4" })] });
    expect(fake.tasks).toHaveLength(1);
  });

  it("a task that fails while the AI SDK polls ends the call with the task's reason", async () => {
    const { fake, modellix } = provider();
    const error = await driveToError(
      generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "[fail] waves", poll: { intervalMs: 1000 }, maxRetries: 2 }),
    );
    expect((error as Error).message).toBe(`Task ${fake.tasks[0]?.id} failed: Content Policy: The prompt was rejected`);
    expect(fake.tasks).toHaveLength(1);
  });
});

describe("generateSpeech and transcribe", () => {
  it("text, voice and language go to the TTS model's fields; the audio comes back", async () => {
    const { fake, modellix } = provider();
    const result = await drive(
      generateSpeech({ model: modellix.speech("alibaba/qwen-audio-3.0-tts-plus"), text: "hello", voice: "Cherry", language: "en", speed: 1.2 }),
    );
    expect(submitted(fake)).toEqual([{ text: "hello", voice: "Cherry", language_hint: "en" }]);
    expect(result.audio.mediaType).toBe("audio/wav");
    expect(result.warnings).toEqual([expect.objectContaining({ type: "unsupported", feature: "speed" })]);
    expect(result.providerMetadata.modellix).toMatchObject({ taskId: fake.tasks[0]?.id, model: "alibaba/qwen-audio-3.0-tts-plus" });
  });

  it("a TTS model's required voice is checked before any request", async () => {
    const { fake, modellix } = provider();
    const error = await driveToError(generateSpeech({ model: modellix.speech("alibaba/qwen-audio-3.0-tts-flash"), text: "hello" }));
    expect((error as ValidationError).issues).toEqual([{ path: "voice", message: "is required" }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("audio bytes are uploaded and sent as the STT model's url; the transcript comes back", async () => {
    const { fake, modellix } = provider();
    const speech = await drive(generateSpeech({ model: modellix.speech("alibaba/qwen-audio-3.0-tts-flash"), text: "hello", voice: "Cherry" }));
    fake.reset();
    const result = await drive(transcribe({ model: modellix.transcription("openai/whisper-1"), audio: speech.audio.uint8Array }));
    expect(result.text).toBe(FAKE_TRANSCRIPT);
    expect(uploads(fake).map((request) => request.body)).toEqual([{ file: expect.objectContaining({ contentType: "audio/wav" }) }]);
    expect(submitted(fake)).toEqual([{ url: fake.files[0]?.url }]);
    expect(result.providerMetadata.modellix).toMatchObject({ taskId: fake.tasks[0]?.id });
  });

  it("an audio URL is passed to the model as it is: nothing downloaded or uploaded", async () => {
    const { fake, modellix } = provider();
    const result = await drive(transcribe({ model: modellix.transcription("openai/whisper-1"), audio: new URL("https://cdn.example.com/talk.mp3") }));
    expect(result.text).toBe(FAKE_TRANSCRIPT);
    expect(uploads(fake)).toHaveLength(0);
    expect(submitted(fake)).toEqual([{ url: "https://cdn.example.com/talk.mp3" }]);
  });
});

describe("errors, and never paying twice through the AI SDK's retries", () => {
  /** The AI SDK error of a call, with what the tests read of it. */
  const apiError = (error: unknown) => {
    expect(APICallError.isInstance(error)).toBe(true);
    return error as APICallError & { data: { taskId?: string; error: string } };
  };

  it("a 401 is an APICallError with its status and body, not retried, without the key", async () => {
    const { fake, modellix } = provider({}, { apiKeys: ["someone-else"] });
    const error = apiError(await driveToError(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", maxRetries: 2 })));
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false, data: { error: "AuthenticationError" } });
    expect(JSON.parse(error.responseBody ?? "")).toMatchObject({ code: 401, message: expect.stringContaining("invalid API key") });
    expect(fake.countRequests({ route: "submit" })).toBe(1);
    for (const text of [error.message, error.responseBody, JSON.stringify(error), JSON.stringify(error.responseHeaders)]) expect(text).not.toContain(secretKey);
  });

  it("a poll that keeps failing: one POST with maxRetries 2, and the error names the task", async () => {
    const { fake, modellix } = provider({ waitTimeouts: { t2i: 20_000 } });
    fake.inject({ kind: "status", status: 503 }, { match: { route: "task" }, times: Number.POSITIVE_INFINITY });
    const error = apiError(await driveToError(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", maxRetries: 2 })));
    const taskId = fake.tasks[0]?.id as string;
    expect(error).toMatchObject({ isRetryable: false, data: { taskId, error: "WaitTimeoutError" } });
    expect(error.message).toContain(taskId);
    expect(fake.countRequests({ route: "submit" })).toBe(1);
    expect(fake.tasks).toHaveLength(1);
  });

  it("a result download that fails with a 503 after the task succeeded is not retried either", async () => {
    const { fake, modellix } = provider();
    fake.inject({ kind: "status", status: 503 }, { match: { route: "file" }, times: Number.POSITIVE_INFINITY });
    const error = apiError(await driveToError(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", maxRetries: 2 })));
    expect(error).toMatchObject({ statusCode: 503, isRetryable: false, data: { taskId: fake.tasks[0]?.id } });
    expect(error.message).toContain(`client.tasks.retrieve("${fake.tasks[0]?.id}")`);
    expect(fake.countRequests({ route: "submit" })).toBe(1);
  });

  it("a submit whose outcome is unknown (a 500 after the task was created) is never sent again", async () => {
    const { fake, modellix } = provider();
    fake.inject({ kind: "status-after-create", status: 500 }, { match: { route: "submit" } });
    const error = apiError(await driveToError(generateVideo({ model: modellix.video("bytedance/seedance-2.0-mini-t2v"), prompt: "waves", maxRetries: 2 })));
    expect(error).toMatchObject({ statusCode: 500, isRetryable: false, data: { error: "SubmitOutcomeUnknownError" } });
    expect(error.cause).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(fake.countRequests({ route: "submit" })).toBe(1);
    expect(fake.tasks).toHaveLength(1);
  });

  it("a failed task is not retried", async () => {
    const { fake, modellix } = provider();
    const error = apiError(await driveToError(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "[fail] a fox", maxRetries: 2 })));
    expect(error).toMatchObject({ isRetryable: false, data: { taskId: fake.tasks[0]?.id, error: "TaskFailedError" } });
    expect(fake.countRequests({ route: "submit" })).toBe(1);
  });

  it("an abort while the task runs rejects with the SDK's UserAbortError naming the task, and is not retried", async () => {
    const { fake, modellix } = provider();
    const controller = new AbortController();
    const call = generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", abortSignal: controller.signal, maxRetries: 2 });
    const settled = call.catch((error: unknown) => error);
    while (fake.tasks.length === 0) await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const error = await drive(settled);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error).toMatchObject({ taskId: fake.tasks[0]?.id });
    expect(fake.countRequests({ route: "submit" })).toBe(1);
  });

  it("providerOptions.modellix that is not an object is refused before any request", async () => {
    const { fake, modellix } = provider();
    const options = { modellix: ["size"] } as unknown as Record<string, Record<string, string>>;
    const error = await driveToError(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", providerOptions: options }));
    expect((error as ValidationError).issues).toEqual([{ path: "providerOptions.modellix", message: "must be an object of the model's body fields" }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("a 429 that created no task is left to the AI SDK to retry: one task in the end", async () => {
    const { fake, modellix } = provider({ maxRetries: 0 });
    fake.inject({ kind: "status", status: 429, message: "Too Many Requests: Rate limit exceeded" }, { match: { route: "submit" } });
    const result = await drive(generateImage({ model: modellix.image("bytedance/seedream-4.5-t2i"), prompt: "a fox", maxRetries: 2 }));
    expect(result.images).toHaveLength(1);
    expect(fake.countRequests({ route: "submit" })).toBe(2);
    expect(fake.tasks).toHaveLength(1);
  });
});

describe("the provider", () => {
  it("has no language or embedding models", () => {
    const { modellix } = provider();
    expect(() => modellix.languageModel("gpt")).toThrow(expect.objectContaining({ name: "AI_NoSuchModelError" }));
    expect(() => modellix.embeddingModel("text-embedding")).toThrow(expect.objectContaining({ name: "AI_NoSuchModelError" }));
  });

  it("createModellix(options) makes its own client; the default instance reads the environment on first use", () => {
    expect(createModellix({ apiKey: "k", baseURL: "http://127.0.0.1:9" }).client.baseURL).toBe("http://127.0.0.1:9");
    vi.stubEnv("MODELLIX_API_KEY", "env-key");
    vi.stubEnv("MODELLIX_BASE_URL", "http://127.0.0.1:8080");
    try {
      expect(defaultProvider.image("bytedance/seedream-4.5-t2i").modelId).toBe("bytedance/seedream-4.5-t2i");
      expect(defaultProvider.client.baseURL).toBe("http://127.0.0.1:8080");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
