import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type TaskPromise, ValidationError } from "modellix";
import type { KnownModels, ModelSlug, SubmitInput } from "modellix/catalog";
import { Task } from "../src/task.js";
import { editorOn } from "./editor.js";
import { drive, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/ref.png";

describe("client.run() for any type and model", () => {
  it("submits by API type, namespace or family and returns the same Task handle", async () => {
    const { fake, client } = setup();
    const task = await client.run("r2v", "alibaba/happyhorse-1.0-r2v", { prompt: "the two of them dance", reference_images: [image, image] });
    expect(task).toBeInstanceOf(Task);
    expect(task).toMatchObject({ type: "r2v", model: "alibaba/happyhorse-1.0-r2v" });
    const result = await drive(task.wait());
    expect(result.resources).toMatchObject([{ type: "video" }]);
    const video = await drive(
      client.run("video-to-video", "bytedance/seedance-2.0-fast-v2v", { prompt: "make it rain", video_urls: ["https://example.com/in.mp4"] }).wait(),
    );
    expect(video.resources[0]?.type).toBe("video");
    const posts = fake.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => request.path)).toEqual(["/api/v1/alibaba/happyhorse-1.0-r2v", "/api/v1/bytedance/seedance-2.0-fast-v2v"]);
    expect(posts[0]?.body).toEqual({ prompt: "the two of them dance", reference_images: [image, image] });
  });

  it("validates a known model's parameters and the slug before sending anything", async () => {
    const { fake, client } = setup();
    const invalid = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((issue) => issue.path);
    };
    expect(await invalid(client.run("i2v", "alibaba/happyhorse-1.0-r2v", { prompt: "x" }))).toEqual(["reference_images"]);
    expect(await invalid(client.run("r2v", "not-a-slug"))).toEqual(["model"]);
    expect(await invalid(client.run("t2i", "acme/model", { prompt: 7 }))).toEqual(["prompt"]);
    expect(fake.requests).toHaveLength(0);
  });

  it("keeps a body field named model (CosyVoice's target voice model), apart from the slug", async () => {
    const { fake, client } = setup();
    await client.run("sts", "alibaba/cosyvoice-clone", { model: "cosyvoice-v2", url: "https://example.com/v.wav", text: "hello" });
    expect(fake.requests[0]?.path).toBe("/api/v1/alibaba/cosyvoice-clone");
    expect(fake.requests[0]?.body).toEqual({ model: "cosyvoice-v2", url: "https://example.com/v.wav", text: "hello" });
  });

  it("accepts any newer type string and any model, passing every field through", async () => {
    const { fake, client } = setup({}, { strictModels: false });
    await client.run("audio-to-video", "acme/avatar-1", { audio: "https://example.com/voice.mp3" }).catch(() => undefined);
    expect(fake.requests[0]?.path).toBe("/api/v1/acme/avatar-1");
    expect(fake.requests[0]?.body).toEqual({ audio: "https://example.com/voice.mp3" });
    expectTypeOf<ReturnType<typeof client.run>>().toEqualTypeOf<TaskPromise>();
  });
});

describe("typed catalog at the call site", () => {
  it("a known t2v model in t2i.submit is a ValidationError naming client.t2v.submit(), and nothing is sent", async () => {
    const { fake, client } = setup();
    const error = await client.t2i.submit({ model: "google/veo-3.1-t2v", prompt: "x" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "model", message: expect.stringContaining("client.t2v.submit()") }]);
    const video = await client.t2i.submit({ model: "xai/grok-imagine-video-edit", prompt: "x" } as never).catch((e: unknown) => e);
    expect((video as ValidationError).message).toContain("client.v2v.submit()");
    expect(fake.requests).toHaveLength(0);
  });

  it("types each known model's own input, and any other slug with any fields", () => {
    const { client } = setup();
    expectTypeOf<"google/nano-banana-2">().toExtend<ModelSlug<KnownModels["t2i"]>>();
    expectTypeOf<"acme/brand-new-model">().toExtend<ModelSlug<KnownModels["t2i"]>>();
    expectTypeOf<SubmitInput<"t2i", "bytedance/seedream-4.5-t2i">["size"]>().toEqualTypeOf<`${number}x${number}` | undefined>();
    expectTypeOf(client.t2i.submit<"acme/new">).parameter(0).toExtend<{ model?: "acme/new"; [field: string]: unknown }>();
  });

  /** What an editor offers at the end of `source` (a file in test/, compiled with the project's settings). */
  function completionsAt(source: string): string[] {
    const { service, file } = editorOn(source);
    return service.getCompletionsAtPosition(file, source.length, {})?.entries.map((entry) => entry.name) ?? [];
  }

  const preamble = 'import Modellix from "modellix";\nconst client = new Modellix();\n';

  it('an editor completes `client.t2i.submit({ model: "` with exactly the known t2i models', () => {
    const names = completionsAt(`${preamble}void client.t2i.submit({ model: "`);
    const expected = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../src/models/catalog.ts"), "utf8")
      .match(/ {2}t2i:([^;]*);/)?.[1]
      ?.match(/"[^"]+"/g)
      ?.map((literal) => JSON.parse(literal) as string);
    expect(names.sort()).toEqual(expected?.sort());
    expect(names).toContain("bytedance/seedream-4.5-t2i");
  });

  it("after a known model, an editor completes that model's own fields", () => {
    const names = completionsAt(`${preamble}void client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", `);
    expect(names).toEqual(expect.arrayContaining(["prompt", "size", "optimize_prompt_mode"]));
    expect(names).not.toContain("aspectRatio"); // a Google field, not Seedream's
  }, 30_000);
});
