import { describe, expect, it, vi } from "vitest";
import { Task } from "modellix";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/cat.png";

describe("the five namespaces", () => {
  const cases = [
    { name: "t2i", submit: (c: ReturnType<typeof setup>["client"]) => c.t2i.submit({ model: "bytedance/seedream-4-5-t2i", prompt: "a fox", size: "1024*768" }), path: "/api/v1/t2i/bytedance/seedream-4-5-t2i/async", resourceType: "image" },
    { name: "i2i", submit: (c: ReturnType<typeof setup>["client"]) => c.i2i.submit({ prompt: "make it blue", image }), path: "/api/v1/i2i/bytedance/seedream-5-0-lite-edit/async", resourceType: "image" },
    { name: "i2v", submit: (c: ReturnType<typeof setup>["client"]) => c.i2v.submit({ image, prompt: "it waves", duration: 5 }), path: "/api/v1/i2v/bytedance/seedance-2-0-fast-i2v/async", resourceType: "video" },
    { name: "t2v", submit: (c: ReturnType<typeof setup>["client"]) => c.t2v.submit({ prompt: "waves at night", aspect_ratio: "16:9" }), path: "/api/v1/t2v/bytedance/seedance-2-0-mini-t2v/async", resourceType: "video" },
    { name: "expansion", submit: (c: ReturnType<typeof setup>["client"]) => c.expansion.submit({ image, left_expansion_ratio: 0.5 }), path: "/api/v1/expansion/kling/kling-image-expansion/async", resourceType: "image" },
  ] as const;

  for (const { name, submit, path, resourceType } of cases) {
    it(`${name}: submits once, polls and resolves with typed resources`, async () => {
      const { fake, client } = setup();
      const task = await submit(client);
      expect(task).toBeInstanceOf(Task);
      expect(task.type).toBe(name);
      const result = await drive(task.wait());
      expect(result.taskId).toBe(task.id);
      expect(result.resources).toHaveLength(1);
      expect(result.resources[0]).toMatchObject({ type: resourceType, url: expect.stringMatching(/^https?:\/\//) });
      const posts = fake.requests.filter((r) => r.method === "POST");
      expect(posts).toHaveLength(1);
      expect(posts[0]?.path).toBe(path);
      expect(posts[0]?.headers.authorization).toBe("Bearer ***");
      expect(posts[0]?.body).not.toHaveProperty("model");
    });
  }

  it("the shortcuts return a Task promise with .wait() chained", async () => {
    const { client } = setup();
    const result = await drive(client.textToImage({ prompt: "a lighthouse at dawn", size: "1024*1024" }).wait());
    expect(result.resources[0]).toMatchObject({ width: 1024, height: 1024, format: "png" });
    await expect(drive(client.imageToVideo({ image }).wait())).resolves.toMatchObject({ resources: [{ type: "video" }] });
    await expect(drive(client.textToVideo({ prompt: "x" }).wait())).resolves.toBeDefined();
    await expect(drive(client.imageToImage({ prompt: "x", images: [image] }).wait())).resolves.toBeDefined();
    await expect(drive(client.expandImage({ image }).wait())).resolves.toBeDefined();
  });

  it("passes model-specific fields through untouched", async () => {
    const { fake, client } = setup();
    const motion = { brushes: [{ mask: image, path: [[0, 0], [1, 1]] }] };
    await client.i2v.submit({ model: "kling/kling-v2-1-i2v", image, motion_brush: motion, camera_motion: "pan_left", cfg_scale: 0.4 });
    expect(fake.requests[0]?.body).toEqual({ image, motion_brush: motion, camera_motion: "pan_left", cfg_scale: 0.4 });
  });

  it("a task resumed by id in another client waits for the same result", async () => {
    const { fake, client } = setup();
    const task = await client.t2i.submit({ prompt: "a fox" });
    const other = setup({ fetch: fake.fetch }).client;
    const result = await drive(other.tasks.retrieve(task.id).wait());
    expect(result.taskId).toBe(task.id);
  });

  it("updates() yields each status change, ending at success", async () => {
    const { client } = setup();
    const task = await client.t2v.submit({ prompt: "a storm" });
    const seen: string[] = [];
    await drive(
      (async () => {
        for await (const update of client.tasks.retrieve(task.id).updates()) seen.push(update.status);
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
