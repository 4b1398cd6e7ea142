import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type KnownR2VModel, type KnownT2IModel, type ModelSlug, Task, type TaskPromise, type TextToImageInput, ValidationError } from "modellix";
import { drive, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const image = "https://example.com/ref.png";

describe("client.run() for types without a namespace", () => {
  it("submits r2v and v2v tasks and returns the same Task handle", async () => {
    const { fake, client } = setup();
    const task = await client.run("r2v", "alibaba/wan-2-6-r2v", { prompt: "the two of them dance", images: [image, image] });
    expect(task).toBeInstanceOf(Task);
    expect(task).toMatchObject({ type: "r2v", model: "alibaba/wan-2-6-r2v" });
    const result = await drive(task.wait());
    expect(result.resources).toMatchObject([{ type: "video", format: "mp4" }]);
    const video = await drive(client.run("v2v", "bytedance/seedance-2-0-fast-v2v", { prompt: "make it rain", video: "https://example.com/in.mp4" }).wait());
    expect(video.resources[0]?.type).toBe("video");
    const posts = fake.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => request.path)).toEqual([
      "/api/v1/r2v/alibaba/wan-2-6-r2v/async",
      "/api/v1/v2v/bytedance/seedance-2-0-fast-v2v/async",
    ]);
    expect(posts[0]?.body).toEqual({ prompt: "the two of them dance", images: [image, image] });
  });

  it("validates the common parameters, the model slug and the type before sending anything", async () => {
    const { fake, client } = setup();
    const invalid = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((issue) => issue.path);
    };
    expect(await invalid(client.run("v2v", "acme/model", { seed: 1.5, size: "1024x1024" }))).toEqual(["size", "seed"]);
    expect(await invalid(client.run("r2v", "not-a-slug"))).toEqual(["model"]);
    expect(await invalid(client.run("../t2i", "acme/model"))).toEqual(["type"]);
    expect(await invalid(client.run("t2i", "acme/model", {}))).toEqual(["prompt"]);
    expect(fake.requests).toHaveLength(0);
  });

  it("accepts any newer type string and any model, with the r2v slugs typed for autocompletion", async () => {
    const { fake, client } = setup();
    await client.run("a2v", "acme/avatar-1", { audio: "https://example.com/voice.mp3" }).catch(() => undefined);
    expect(fake.requests[0]?.path).toBe("/api/v1/a2v/acme/avatar-1/async");
    expectTypeOf(client.run<"r2v">).parameter(1).toEqualTypeOf<ModelSlug<KnownR2VModel>>();
    expectTypeOf(client.run("r2v", "vidu/viduq3-r2v")).toEqualTypeOf<TaskPromise>();
  });
});

describe("typed catalog at the call site", () => {
  it("a known t2v model in t2i.submit is a ValidationError naming client.t2v.submit(), and nothing is sent", async () => {
    const { fake, client } = setup();
    const error = await client.t2i.submit({ model: "google/veo-3-1-fast-t2v", prompt: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: "model", message: "google/veo-3-1-fast-t2v is a t2v model: use client.t2v.submit() instead" },
    ]);
    const video = await client.t2i.submit({ model: "xai/grok-imagine-video-edit", prompt: "x" }).catch((e: unknown) => e);
    expect((video as ValidationError).message).toContain('use client.run("v2v", model, input)');
    expect(fake.requests).toHaveLength(0);
  });

  it("types model as the known t2i slugs or any other string", () => {
    type Model = Exclude<TextToImageInput["model"], undefined>;
    expectTypeOf<Model>().toEqualTypeOf<ModelSlug<KnownT2IModel>>();
    expectTypeOf<"google/nano-banana-2">().toExtend<Model>();
    expectTypeOf<"acme/brand-new-model">().toExtend<Model>();
    expectTypeOf(setup().client.t2i.submit).parameter(0).toEqualTypeOf<TextToImageInput>();
  });

  it('an editor completes `client.t2i.submit({ model: "` with exactly the known t2i models', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    const file = join(root, "test", "completion-probe.ts");
    const source = 'import Modellix from "modellix";\nconst client = new Modellix();\nvoid client.t2i.submit({ model: "';
    const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const read = (name: string) => (name === file ? source : ts.sys.readFile(name));
    const service = ts.createLanguageService({
      getCompilationSettings: () => config?.options ?? {},
      getScriptFileNames: () => [file],
      getScriptVersion: () => "1",
      getScriptSnapshot: (name) => ts.ScriptSnapshot.fromString(read(name) ?? readFileSync(name, "utf8")),
      getCurrentDirectory: () => root,
      getDefaultLibFileName: ts.getDefaultLibFilePath,
      fileExists: (name) => name === file || ts.sys.fileExists(name),
      readFile: read,
    });
    const names = service.getCompletionsAtPosition(file, source.length, {})?.entries.map((entry) => entry.name) ?? [];
    const expected = readFileSync(join(root, "src/models/catalog.ts"), "utf8")
      .match(/export type KnownT2IModel =([^;]*);/)?.[1]
      ?.match(/"[^"]+"/g)
      ?.map((literal) => JSON.parse(literal) as string);
    expect(names.sort()).toEqual(expected?.sort());
    expect(names).toContain("google/nano-banana-2-lite");
  });
});
