import { describe, expect, it } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { call, envelope, submit } from "./support.js";

/** Submits and returns the status and the envelope message. */
async function attempt(fake: FakeModellix, slug: string, body: unknown): Promise<[number, string]> {
  const response = await submit(fake.fetch, slug, body);
  return [response.status, (await envelope(response)).message];
}

describe("FakeModellix per-model parameter checks", () => {
  it("answers the API's 400 for a known model's missing or invalid parameters, creating nothing", async () => {
    const fake = new FakeModellix();
    const cases: Array<[string, unknown, string]> = [
      ["bytedance/seedream-4.5-t2i", {}, "Missing required parameter: parameter 'prompt' is required"],
      ["bytedance/seedream-4.5-t2i", { prompt: "   " }, "Missing required parameter: parameter 'prompt' is required"],
      ["bytedance/seedream-4.5-t2i", { prompt: 42 }, "Invalid parameters: parameter 'prompt' must be a string"],
      ["bytedance/seedream-4.5-t2i", { prompt: "x".repeat(10_001) }, "Value out of range: parameter 'prompt' must be between 1 and 10000 characters long, got 10001"],
      ["bytedance/seedream-4.5-t2i", { prompt: "x", size: "2048*2048" }, "Invalid format: parameter 'size' must be in format 'WIDTHxHEIGHT' (e.g. '2048x2048'), got '2048*2048'"],
      ["bytedance/seedream-4.5-t2i", { prompt: "x", sequential_image_generation: "on" }, "Invalid parameters: parameter 'sequential_image_generation' must be one of auto, disabled, got 'on'"],
      ["bytedance/seedream-4.5-t2i", { prompt: "x", sequential_image_generation_max_images: 16 }, "Value out of range: parameter 'sequential_image_generation_max_images' must be between 1 and 15, got 16"],
      ["alibaba/wan2.6-t2v", { prompt: "x", size: "1280x720" }, "Invalid parameters: parameter 'size' must be one of 1280*720, 720*1280, 960*960, 1088*832, 832*1088, 1920*1080, 1080*1920, 1440*1440, 1632*1248, 1248*1632, got '1280x720'"],
      ["alibaba/wan2.6-t2v", { prompt: "x", duration: 5.5 }, "Invalid parameters: parameter 'duration' must be an integer"],
      ["alibaba/wan2.6-t2v", { prompt: "x", duration: 1 }, "Value out of range: parameter 'duration' must be between 2 and 15, got 1"],
      ["alibaba/wan2.6-t2v", { prompt: "x", prompt_extend: "yes" }, "Invalid parameters: parameter 'prompt_extend' must be a boolean"],
      ["alibaba/wan2.6-t2v", { prompt: "x", audio_url: "file:///etc/passwd" }, "Invalid format: parameter 'audio_url' must be an http(s) URL"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x" }, "Missing required parameter: parameter 'image' is required"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: "https://x/a.png" }, "Invalid parameters: parameter 'image' must be an array"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: [] }, "Value out of range: parameter 'image' must have between 1 and 14 items, got 0"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: Array(15).fill("https://x/a.png") }, "Value out of range: parameter 'image' must have between 1 and 14 items, got 15"],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: ["https://x/a.png", 7] }, "Invalid parameters: parameter 'image' item 1 must be a string"],
      ["alibaba/happyhorse-1.0-r2v", { prompt: "x", reference_images: ["data:image/png;base64,AAAA"] }, "Invalid format: parameter 'reference_images' item 0 must be an http(s) URL"],
      ["bytedance/seedance-2.0-fast-i2v", { prompt: "x", resolution: "720P" }, "Invalid parameters: parameter 'resolution' must be one of 480p, 720p, got '720P'"],
      ["bytedance/seedance-2.0-fast-i2v", { prompt: "x", duration: 3 }, "Invalid parameters: parameter 'duration' must be one of 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, got 3"],
      ["google/nano-banana-2", { prompt: "x", imageSize: "1k" }, "Invalid parameters: parameter 'imageSize' must be one of 512, 1K, 2K, 4K, got '1k'"],
      ["alibaba/wan2.7-image", { prompt: "x", size: "1536x1024" }, "Invalid format: parameter 'size' must be in format '1K', '2K' or 'WIDTH*HEIGHT' (e.g. '1024*1024'), got '1536x1024'"],
      ["alibaba/wan2.7-i2v", { prompt: "x", last_frame: "https://x/z.png" }, "Missing required parameter: one of parameters 'first_frame' or 'first_clip' is required"],
      ["alibaba/wan2.7-i2v", { prompt: "x", first_frame: " " }, "Missing required parameter: one of parameters 'first_frame' or 'first_clip' is required"],
      ["alibaba/qwen-audio-3.0-tts-flash", { text: "hello" }, "Missing required parameter: parameter 'voice' is required"],
      ["openai/whisper-1", {}, "Missing required parameter: parameter 'url' is required"],
      ["bytedance/seedream-4.5-t2i", [1, 2], "Invalid format: request body must be a JSON object"],
      ["bytedance/seedream-4.5-t2i", "a cat", "Invalid format: request body must be a JSON object"],
    ];
    for (const [slug, body, message] of cases) {
      expect(await attempt(fake, slug, body), `${slug} ${JSON.stringify(body).slice(0, 60)}`).toEqual([400, message]);
    }
    const notJson = await call(fake.fetch, "/bytedance/seedream-4.5-t2i", { method: "POST", body: "prompt=x" });
    expect(await envelope(notJson)).toEqual({ code: 400, message: "Invalid format: request body must be a JSON object" });
    expect(fake.tasks).toHaveLength(0);
  });

  it("accepts each model's own formats, and passes unlisted fields through", async () => {
    const fake = new FakeModellix({ maxConcurrentTasks: 100 });
    const accepted: Array<[string, Record<string, unknown>]> = [
      ["bytedance/seedream-4.5-t2i", { prompt: "x", size: "2048x2048", watermark: false }],
      ["alibaba/wan2.6-t2v", { prompt: "x", size: "1280*720", duration: 5, audio_url: "https://cdn.test/a.mp3" }],
      ["alibaba/qwen-image-2.0", { prompt: "x", size: "2048*2048", n: 2 }],
      ["bytedance/seedream-5.0-lite-edit", { prompt: "x", image: ["https://x/a.png", "data:image/png;base64,AAAA"] }],
      ["bytedance/seedance-2.0-fast-i2v", { prompt: "x", first_frame_image: "https://x/a.png", ratio: "16:9", resolution: "720p" }],
      ["google/nano-banana-2", { prompt: "x", aspectRatio: "16:9", imageSize: "1K" }],
      ["alibaba/wan2.7-image", { prompt: "x", size: "2K" }],
      ["alibaba/wan2.7-image", { prompt: "x", size: "1536*1024" }],
      ["alibaba/wan2.7-i2v", { prompt: "x", first_clip: "https://x/clip.mp4" }],
      ["alibaba/wan2.7-i2v", { first_frame: "https://x/a.png" }],
      ["openai/gpt-image-2", { prompt: "x", size: "1152x2048" }],
      ["kling/kling-image-expansion", { image: "https://x/a.png" }],
      ["alibaba/qwen-audio-3.0-tts-flash", { text: "hello", voice: "Cherry" }],
      ["openai/whisper-1", { url: "https://x/a.mp3" }],
      ["alibaba/cosyvoice-clone", { url: "https://x/a.wav", text: "hello", model: "cosyvoice-v2" }],
    ];
    for (const [slug, body] of accepted) expect(await attempt(fake, slug, body), slug).toEqual([200, "success"]);
    expect(fake.tasks[0]?.input).toEqual({ prompt: "x", size: "2048x2048", watermark: false });
    expect(fake.tasks.at(-1)?.input).toMatchObject({ model: "cosyvoice-v2" });
  });

  it("checks only prompt for known models without a parameter list", async () => {
    const fake = new FakeModellix({ maxConcurrentTasks: 100 });
    expect(await attempt(fake, "alibaba/qwen-image-plus", {})).toEqual([400, "Missing required parameter: parameter 'prompt' is required"]);
    expect(await attempt(fake, "alibaba/qwen-image-plus", { prompt: ["x"] })).toEqual([400, "Invalid parameters: parameter 'prompt' must be a string"]);
    expect(await attempt(fake, "alibaba/qwen-image-plus", { prompt: "x", size: "anything", extra: { a: 1 } })).toEqual([200, "success"]);
    expect(await attempt(fake, "kling/kling-v2.1-i2v", { image: "https://x/a.png" })).toEqual([200, "success"]);
    fake.configure({ promptRequired: ["image-to-video"] });
    expect(await attempt(fake, "kling/kling-v2.1-i2v", { image: "https://x/a.png" })).toEqual([400, "Missing required parameter: parameter 'prompt' is required"]);
    expect(await attempt(fake, "alibaba/qwen-image-plus", {})).toEqual([200, "success"]);
  });

  it("checks against a custom model's own parameters, or nothing with []", async () => {
    const fake = new FakeModellix({
      models: [
        { slug: "acme/strict", type: "text-to-image", params: [{ name: "seed", type: "integer", required: true, min: 0 }] },
        { slug: "acme/loose", type: "text-to-image", params: [] },
      ],
    });
    expect(await attempt(fake, "acme/strict", { prompt: "x" })).toEqual([400, "Missing required parameter: parameter 'seed' is required"]);
    expect(await attempt(fake, "acme/strict", { seed: -1 })).toEqual([400, "Value out of range: parameter 'seed' must be at least 0, got -1"]);
    expect(await attempt(fake, "acme/strict", { seed: 1 })).toEqual([200, "success"]);
    expect(await attempt(fake, "acme/loose", {})).toEqual([200, "success"]);
  });
});
