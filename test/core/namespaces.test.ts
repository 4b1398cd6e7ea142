import { describe, expect, it, vi } from "vitest";
import type { TaskPromise } from "modellix";
import { NAMESPACES } from "modellix/catalog";
import { Task } from "../../src/task.js";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/cat.png";

type Client = ReturnType<typeof setup>["client"];
const audio = "https://example.com/voice.mp3";
const video = "https://example.com/clip.mp4";

describe("the namespaces", () => {
  const cases: Array<{ name: string; submit: (c: Client) => Promise<Task>; path: string; resourceType: string }> = [
    { name: "t2i", submit: (c) => c.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a fox", size: "2048x2048" }), path: "/api/v1/bytedance/seedream-4.5-t2i", resourceType: "image" },
    { name: "i2i", submit: (c) => c.i2i.submit({ prompt: "make it blue", image: [image] }), path: "/api/v1/bytedance/seedream-5.0-lite-edit", resourceType: "image" },
    { name: "i2v", submit: (c) => c.i2v.submit({ first_frame_image: image, prompt: "it waves", duration: 5 }), path: "/api/v1/bytedance/seedance-2.0-fast-i2v", resourceType: "video" },
    { name: "t2v", submit: (c) => c.t2v.submit({ prompt: "waves at night", ratio: "16:9" }), path: "/api/v1/bytedance/seedance-2.0-mini-t2v", resourceType: "video" },
    { name: "v2v", submit: (c) => c.v2v.submit({ prompt: "make it rain", video_urls: [video] }), path: "/api/v1/bytedance/seedance-2.0-fast-v2v", resourceType: "video" },
    { name: "tts", submit: (c) => c.tts.submit({ text: "hello", voice: "Cherry" }), path: "/api/v1/alibaba/qwen-audio-3.0-tts-flash", resourceType: "audio" },
    { name: "expansion", submit: (c) => c.expansion.submit({ image, left_expansion_ratio: 0.5 }), path: "/api/v1/kling/kling-image-expansion", resourceType: "image" },
  ];

  for (const { name, submit, path, resourceType } of cases) {
    it(`${name}: submits once to POST /api/v1/{provider}/{model_id}, polls and resolves with typed resources`, async () => {
      const { fake, client } = setup();
      const task = await submit(client);
      expect(task).toBeInstanceOf(Task);
      expect(task.type).toBe(name);
      const result = await drive(task.wait());
      expect(result.id).toBe(task.id);
      expect(result.id).toBe(task.id);
      expect(result.model).toBe(task.model);
      expect(result.resources).toHaveLength(1);
      expect(result.resources[0]).toMatchObject({ type: resourceType, url: expect.stringMatching(/^https?:\/\//) });
      expect(result.expiresAt).toBeInstanceOf(Date);
      const posts = fake.requests.filter((r) => r.method === "POST");
      expect(posts).toHaveLength(1);
      expect(posts[0]?.path).toBe(path);
      expect(posts[0]?.headers.authorization).toBe("Bearer ***");
      expect(posts[0]?.body).not.toHaveProperty("model");
    });
  }

  it("stt: speech to text ends with the transcript in the task data", async () => {
    const { client } = setup();
    const result = await drive(client.speechToText({ url: audio }).wait());
    expect(result.model).toBe("openai/whisper-1");
    expect(JSON.stringify(result.data)).toMatch(/text|transcript/);
  });

  it("every namespace has a shortcut, which submits to it and returns a Task promise with .wait() chained", async () => {
    const shortcuts: Array<{ name: string; namespace: string; call: (c: Client) => TaskPromise; path: string; resourceType: string | undefined }> = [
      { name: "textToImage", namespace: "t2i", call: (c) => c.textToImage({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" }), path: "/api/v1/bytedance/seedream-4.5-t2i", resourceType: "image" },
      { name: "imageToImage", namespace: "i2i", call: (c) => c.imageToImage({ prompt: "make it blue", image: [image] }), path: "/api/v1/bytedance/seedream-5.0-lite-edit", resourceType: "image" },
      { name: "textToVideo", namespace: "t2v", call: (c) => c.textToVideo({ prompt: "waves at night" }), path: "/api/v1/bytedance/seedance-2.0-mini-t2v", resourceType: "video" },
      { name: "imageToVideo", namespace: "i2v", call: (c) => c.imageToVideo({ first_frame_image: image, prompt: "it waves" }), path: "/api/v1/bytedance/seedance-2.0-fast-i2v", resourceType: "video" },
      { name: "videoToVideo", namespace: "v2v", call: (c) => c.videoToVideo({ prompt: "make it rain", video_urls: [video] }), path: "/api/v1/bytedance/seedance-2.0-fast-v2v", resourceType: "video" },
      { name: "textToSpeech", namespace: "tts", call: (c) => c.textToSpeech({ text: "hello", voice: "Cherry" }), path: "/api/v1/alibaba/qwen-audio-3.0-tts-flash", resourceType: "audio" },
      { name: "speechToText", namespace: "stt", call: (c) => c.speechToText({ url: audio }), path: "/api/v1/openai/whisper-1", resourceType: undefined },
      { name: "speechToSpeech", namespace: "sts", call: (c) => c.speechToSpeech({ url: audio, text: "hello" }), path: "/api/v1/alibaba/cosyvoice-clone", resourceType: "audio" },
      { name: "expandImage", namespace: "expansion", call: (c) => c.expandImage({ image, left_expansion_ratio: 0.5 }), path: "/api/v1/kling/kling-image-expansion", resourceType: "image" },
    ];
    expect(shortcuts.map((shortcut) => shortcut.namespace).sort()).toEqual([...NAMESPACES].sort());
    for (const { name, namespace, call, path, resourceType } of shortcuts) {
      const { fake, client } = setup();
      const task = await drive(call(client));
      expect(task.type, name).toBe(namespace);
      expect(fake.requests.filter((request) => request.method === "POST").map((request) => request.path), name).toEqual([path]);
      const result = await drive(call(client).wait());
      expect(result.resources[0]?.type, name).toBe(resourceType);
      expect(fake.stats.tasksCreated, name).toBe(2);
    }
  });

  it("passes model-specific fields through untouched", async () => {
    const { fake, client } = setup();
    const motion = { brushes: [{ mask: image, path: [[0, 0], [1, 1]] }] };
    await client.i2v.submit({ model: "kling/kling-v2.1-i2v", image, motion_brush: motion, camera_motion: "pan_left", cfg_scale: 0.4 });
    expect(fake.requests[0]?.path).toBe("/api/v1/kling/kling-v2.1-i2v");
    expect(fake.requests[0]?.body).toEqual({ image, motion_brush: motion, camera_motion: "pan_left", cfg_scale: 0.4 });
  });

  it("a task resumed by id in another client waits for the same result", async () => {
    const { fake, client } = setup();
    const task = await client.t2i.submit({ prompt: "a fox" });
    const other = setup({ fetch: fake.fetch }).client;
    const result = await drive(other.tasks.retrieve(task.id, { model: task.model }).wait());
    expect(result.id).toBe(task.id);
    expect(result.model).toBe(task.model);
  });

  it("updates() yields each status change, ending at success", async () => {
    const { fake, client } = setup();
    const task = await client.t2v.submit({ prompt: "a storm" });
    const seen: string[] = [];
    const elsewhere = setup({ fetch: fake.fetch }).client; // resumed in another process: it reads at once
    await drive(
      (async () => {
        for await (const update of elsewhere.tasks.retrieve(task.id).updates()) seen.push(update.status);
      })(),
    );
    expect(seen).toEqual(["pending", "processing", "success"]);
  });

  it("status() reads once; first background poll comes ~2 s after submit, then backs off to 5 s", async () => {
    const { fake, client } = setup({}, { durationMs: 60_000 });
    const task = await client.t2v.submit({ prompt: "slow" });
    const gets = () => fake.requests.filter((r) => r.method === "GET").map((r) => r.at - fake.requests[0]!.at);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(gets()).toEqual([]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(gets()).toEqual([2000, 5000, 9500, 14500, 19500, 24500, 29500]);
    const snapshot = await task.status();
    expect(snapshot.status).toBe("processing");
  });
});
