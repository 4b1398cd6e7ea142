import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/core/errors.js";
import { isBinary } from "../src/models/binary.js";
import { defaultModels } from "../src/models/catalog.js";
import { findModel } from "../src/models/entries.js";
import { modelParams } from "../src/models/params.js";
import { prepareInput } from "../src/models/prepare.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** What a file field takes, as its messages say in Node. */
const FILE = "a URL (https://, http:// or data:), a file (Blob, ArrayBuffer, typed array or ReadableStream) or a local file path";

/** The ValidationError `prepareInput` rejects with for these arguments. */
async function refusal(namespace: string, input: unknown, options?: { runType?: boolean; slug?: string }): Promise<ValidationError> {
  try {
    await prepareInput(namespace, input, options);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("prepareInput: known models are checked against their own parameters", () => {
  it("accepts Seedream's WIDTHxHEIGHT size and sends the body untouched, without model", async () => {
    const input = { model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048", sequential_image_generation: "disabled" };
    const prepared = await prepareInput("t2i", input);
    expect(prepared.model).toBe("bytedance/seedream-4.5-t2i");
    expect(prepared.body).toEqual({ prompt: "a lighthouse at dawn", size: "2048x2048", sequential_image_generation: "disabled" });
    expect(prepared.entry).toBe(findModel("bytedance/seedream-4.5-t2i"));
    expect(prepared.spelledAs).toBeUndefined();
    expect(input.model).toBe("bytedance/seedream-4.5-t2i");
  });

  it("turns a doc spelling into the real slug and says which spelling was used", async () => {
    const prepared = await prepareInput("t2i", { model: "bytedance/seedream-4-5-t2i", prompt: "x" });
    expect(prepared).toMatchObject({ model: "bytedance/seedream-4.5-t2i", spelledAs: "bytedance/seedream-4-5-t2i", body: { prompt: "x" } });
  });

  it("names the expected size format of each family", async () => {
    expect((await refusal("t2i", { model: "bytedance/seedream-4.5-t2i", prompt: "x", size: "2048*2048" })).message).toBe(
      'Invalid t2i input: size: must be "WIDTHxHEIGHT", e.g. "2048x2048" (got "2048*2048")',
    );
    expect((await prepareInput("t2i", { model: "alibaba/wan2.6-t2i", prompt: "x", size: "1280*1280" })).body.size).toBe("1280*1280");
    expect((await refusal("t2i", { model: "alibaba/wan2.6-t2i", prompt: "x", size: "1280x1280" })).issues).toEqual([
      { path: "size", message: 'must be "WIDTH*HEIGHT", e.g. "1024*1024" (got "1280x1280")' },
    ]);
    expect((await prepareInput("t2i", { model: "alibaba/wan2.7-image", prompt: "x", size: "2K" })).body.size).toBe("2K");
    expect((await refusal("t2i", { model: "alibaba/wan2.7-image", prompt: "x", size: "4K" })).issues[0]?.message).toBe(
      'must be "1K", "2K" or "WIDTH*HEIGHT", e.g. "1024*1024" (got "4K")',
    );
    expect((await refusal("t2i", { model: "openai/gpt-image-2", prompt: "x", size: "1000x1000" })).issues[0]?.message).toMatch(
      /^must be "1024x1024", "2048x2048", .*"1152x2048" or "2160x3840" \(got "1000x1000"\)$/,
    );
  });

  it("accepts each of gpt-image-2's 14 sizes, 1152x2048 among them", async () => {
    const sizes = modelParams["openai/gpt-image-2"]?.find((param) => param.name === "size")?.enum ?? [];
    expect(sizes).toHaveLength(14);
    expect(sizes).toEqual(expect.arrayContaining(["1152x2048", "3072x2048", "2048x3072", "1024x768", "768x1024", "2048x1536", "1536x2048"]));
    for (const size of sizes) {
      expect((await prepareInput("t2i", { model: "openai/gpt-image-2", prompt: "x", size })).body.size, String(size)).toBe(size);
    }
  });

  it("takes Wan 2.7 i2v's first_frame or first_clip, and refuses a body with neither, naming both", async () => {
    const clip = "https://example.com/clip.mp4";
    expect((await prepareInput("i2v", { model: "alibaba/wan2.7-i2v", prompt: "it goes on", first_clip: clip })).body).toEqual({ prompt: "it goes on", first_clip: clip });
    expect((await prepareInput("i2v", { model: "alibaba/wan2.7-i2v", first_frame: new Blob(["png"]) })).model).toBe("alibaba/wan2.7-i2v");
    expect((await prepareInput("i2v", { model: "alibaba/wan2.7-i2v", first_frame: "https://example.com/a.png", first_clip: clip })).model).toBe("alibaba/wan2.7-i2v");
    const neither = await refusal("i2v", { model: "alibaba/wan2.7-i2v", prompt: "the cat waves", last_frame: "https://example.com/z.png" });
    expect(neither.message).toBe("Invalid i2v input: first_frame or first_clip is required (give at least one of them)");
    expect(neither.issues).toEqual([{ path: "", message: "first_frame or first_clip is required (give at least one of them)" }]);
    // Reported with the other problems of the body, all at once; a given alternative of the wrong type is that field's problem.
    expect((await refusal("i2v", { model: "alibaba/wan2.7-i2v", duration: 20 })).issues).toEqual([
      { path: "duration", message: "must be between 2 and 15 (got 20)" },
      { path: "", message: "first_frame or first_clip is required (give at least one of them)" },
    ]);
    expect((await refusal("i2v", { model: "alibaba/wan2.7-i2v", first_clip: 5 })).issues).toEqual([
      { path: "first_clip", message: `must be ${FILE} (got 5)` },
    ]);
  });

  it("accepts the corrected ids: skyreels/... is the docs spelling of skywork/..., wanx2.5-i2v-preview is wan2.5-i2v-preview", async () => {
    const skyreels = await prepareInput("i2v", { model: "skyreels/skyreels-i2v", prompt: "x", image: "https://example.com/a.png" });
    expect(skyreels).toMatchObject({ model: "skywork/skyreels-i2v", spelledAs: "skyreels/skyreels-i2v", body: { prompt: "x", image: "https://example.com/a.png" } });
    expect((await prepareInput("t2v", { model: "skyreels/skyreels-t2v", prompt: "x" })).model).toBe("skywork/skyreels-t2v");
    expect((await prepareInput("v2v", { model: "skywork/sky-lipsync", prompt: "x" })).spelledAs).toBeUndefined();
    expect((await refusal("t2v", { model: "skyreels/skyreels-i2v", prompt: "x" })).message).toContain('"skywork/skyreels-i2v" is an image-to-video model');
    const wan = await prepareInput("i2v", { model: "alibaba/wan2.5-i2v-preview", prompt: "x" });
    expect(wan).toMatchObject({ model: "alibaba/wan2.5-i2v-preview", entry: { verified: true } });
    expect(wan.spelledAs).toBeUndefined();
    expect((await prepareInput("i2v", { model: "alibaba/wanx-2-5-i2v-preview", prompt: "x" })).model).toBe("alibaba/wan2.5-i2v-preview");
    expect(findModel("alibaba/wanx2.5-i2v-preview")).toBeUndefined();
  });

  it("accepts image arrays for edit models, with URLs and binary values mixed", async () => {
    const image = ["https://example.com/a.png", new Blob(["png"]), new Uint8Array([1, 2])];
    const prepared = await prepareInput("i2i", { model: "bytedance/seedream-5.0-lite-edit", prompt: "make it blue", image });
    expect(prepared.body.image).toBe(image);
    expect((await prepareInput("i2i", { model: "google/nano-banana-2-edit", prompt: "x", image: ["https://example.com/a.png"] })).model).toBe("google/nano-banana-2-edit");
    expect((await prepareInput("i2i", { model: "openai/gpt-image-2-edit", prompt: "x", images: [new ArrayBuffer(4)] })).model).toBe("openai/gpt-image-2-edit");
    expect((await refusal("i2i", { model: "bytedance/seedream-5.0-lite-edit", prompt: "x", image: "https://example.com/a.png" })).issues).toEqual([
      { path: "image", message: 'must be an array of URLs or files (got "https://example.com/a.png")' },
    ]);
    expect((await refusal("i2i", { model: "bytedance/seedream-5.0-lite-edit", prompt: "x", image: ["https://example.com/a.png", 42] })).issues).toEqual([
      { path: "image.1", message: `must be ${FILE} (got 42)` },
    ]);
    expect((await refusal("i2i", { model: "bytedance/seedream-5.0-lite-edit", prompt: "x", image: [] })).issues).toEqual([
      { path: "image", message: "must have 1 to 14 items (got 0)" },
    ]);
  });

  it("accepts first_frame_image for Seedance, Hailuo and Vidu image-to-video, as a URL or a file", async () => {
    const frame = "https://example.com/cat.png";
    expect((await prepareInput("i2v", { prompt: "the cat waves", first_frame_image: frame })).model).toBe(defaultModels.i2v);
    expect((await prepareInput("i2v", { model: "bytedance/seedance-1.5-pro-i2v", first_frame_image: frame, ratio: "16:9" })).body).toEqual({ first_frame_image: frame, ratio: "16:9" });
    expect((await prepareInput("i2v", { model: "minimax/hailuo-2.3-i2v", first_frame_image: new Blob(["x"]), duration: 10 })).model).toBe("minimax/hailuo-2.3-i2v");
    expect((await prepareInput("i2v", { model: "minimax/hailuo-02-fl2v", last_frame_image: frame, first_frame_image: frame })).model).toBe("minimax/hailuo-02-fl2v");
    expect((await prepareInput("i2v", { model: "vidu/viduq3-turbo-i2v", first_frame_image: new ReadableStream(), resolution: "1080p" })).model).toBe("vidu/viduq3-turbo-i2v");
    expect((await prepareInput("i2v", { model: "vidu/viduq3-pro-fl2v", first_frame_image: frame, last_frame_image: frame })).model).toBe("vidu/viduq3-pro-fl2v");
    expect((await refusal("i2v", { model: "vidu/viduq3-pro-fl2v", first_frame_image: frame })).issues).toEqual([{ path: "last_frame_image", message: "is required" }]);
  });

  it("refuses a bad enum value, naming the allowed ones (case matters)", async () => {
    expect((await refusal("i2v", { model: "minimax/hailuo-2.3-i2v", first_frame_image: "https://x.test/a.png", resolution: "768p" })).message).toBe(
      'Invalid i2v input: resolution: must be "768P" or "1080P" (got "768p")',
    );
    expect((await refusal("t2v", { model: "bytedance/seedance-1.5-pro-t2v", prompt: "waves", duration: 3 })).issues).toEqual([
      { path: "duration", message: "must be 4, 5, 6, 7, 8, 9, 10, 11 or 12 (got 3)" },
    ]);
  });

  it("refuses a missing required field, a wrong type and an out-of-range value, one issue per field", async () => {
    const error = await refusal("t2i", { model: "bytedance/seedream-4.5-t2i", sequential_image_generation_max_images: 2.5, optimize_prompt_mode: 1 });
    expect(error.issues).toEqual([
      { path: "prompt", message: "is required" },
      { path: "sequential_image_generation_max_images", message: "must be an integer (got 2.5)" },
      { path: "optimize_prompt_mode", message: "must be a string (got 1)" },
    ]);
    expect((await refusal("t2i", { model: "bytedance/seedream-4.5-t2i", prompt: "" })).issues).toEqual([{ path: "prompt", message: "must be 1 to 10000 characters long (got 0)" }]);
    expect((await refusal("i2v", { model: "vidu/viduq3-turbo-i2v", first_frame_image: "https://x.test/a.png", duration: 17 })).issues).toEqual([
      { path: "duration", message: "must be between 1 and 16 (got 17)" },
    ]);
    expect((await refusal("tts", { text: "hello" })).message).toBe("Invalid tts input: voice: is required");
    expect((await refusal("i2i", { model: "kling/kling-v1.5-i2i", prompt: "x", image: "https://x.test/a.png", image_fidelity: 2 })).issues).toEqual([
      { path: "image_fidelity", message: "must be between 0 and 1 (got 2)" },
    ]);
  });

  it("lets fields the schema does not list pass through untouched with the slug given apart (client.run), naming them", async () => {
    const extra = { nested: { deep: [1, "two"] } };
    const prepared = await prepareInput("t2i", { prompt: "x", watermark: true, extra }, { runType: true, slug: "bytedance/seedream-4.5-t2i" });
    expect(prepared.body).toEqual({ prompt: "x", watermark: true, extra });
    expect(prepared.body.extra).toBe(extra);
    expect(prepared.unknownFields).toEqual([
      { field: "watermark", suggestion: undefined },
      { field: "extra", suggestion: undefined },
    ]);
  });

  it("refuses a known model in the wrong namespace, naming the right one", async () => {
    expect((await refusal("t2i", { model: "bytedance/seedance-2.0-fast-i2v", prompt: "x" })).message).toBe(
      'Invalid t2i input: model: "bytedance/seedance-2.0-fast-i2v" is an image-to-video model: submit it with client.i2v.submit()',
    );
    expect((await refusal("t2v", { model: "vidu/viduq3-mix-r2v", prompt: "x" })).message).toContain("client.i2v.submit()");
    expect((await refusal("t2i", { model: "kling/kling-image-expansion" })).message).toContain("client.expansion.submit() or client.i2i.submit()");
    expect((await refusal("i2v", { model: "openai/whisper-1", url: "https://x.test/a.mp3" })).message).toContain("client.stt.submit()");
    expect((await refusal("i2i", { model: "bytedance/seedream-4-5-t2i", prompt: "x" })).message).toContain("client.t2i.submit()");
    expect((await prepareInput("i2i", { model: "kling/kling-image-expansion", image: "https://x.test/a.png" })).model).toBe("kling/kling-image-expansion");
    expect((await prepareInput("i2v", { model: "vidu/viduq3-mix-r2v", prompt: "x", reference_images: ["https://x.test/a.png"] })).model).toBe("vidu/viduq3-mix-r2v");
  });
});

describe("prepareInput: unknown models get only the checks that are surely right", () => {
  it("passes every field through untouched", async () => {
    const blob = new Blob(["x"]);
    const input = { model: "acme/brand-new-model", prompt: "x", size: "whatever", n: 3, image: blob, nested: { list: [1, { deep: null }] }, flag: true };
    const prepared = await prepareInput("t2i", input);
    expect(prepared.model).toBe("acme/brand-new-model");
    expect(prepared.entry).toBeUndefined();
    const { model: _model, ...rest } = input;
    expect(prepared.body).toEqual(rest);
    for (const key of Object.keys(rest) as (keyof typeof rest)[]) expect(prepared.body[key]).toBe(rest[key]);
  });

  it("refuses a non-string prompt and non-finite numbers anywhere, with their paths", async () => {
    expect((await refusal("t2i", { model: "acme/new", prompt: 42 })).message).toBe("Invalid t2i input: prompt: must be a string (got 42)");
    expect((await refusal("t2i", { model: "acme/new", prompt: "x", a: Number.NaN, b: { c: [1, Number.POSITIVE_INFINITY] } })).issues).toEqual([
      { path: "a", message: "must be a finite number (got NaN)" },
      { path: "b.c.1", message: "must be a finite number (got Infinity)" },
    ]);
    const edit = { prompt: "x", image: ["https://x.test/a.png"], extra: { ratio: Number.NaN } };
    expect((await refusal("i2i", edit, { runType: true, slug: "bytedance/seedream-5.0-lite-edit" })).issues).toEqual([
      { path: "extra.ratio", message: "must be a finite number (got NaN)" },
    ]);
  });

  it("ends on cycles and very deep nesting, and does not look inside binary values", async () => {
    const cyclic: Record<string, unknown> = { prompt: "x" };
    cyclic.self = cyclic;
    expect((await prepareInput("t2i", { model: "acme/new", data: cyclic })).body.data).toBe(cyclic);
    let deep: unknown = Number.NaN;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect((await prepareInput("t2i", { model: "acme/new", deep })).body.deep).toBe(deep);
    expect((await prepareInput("t2i", { model: "acme/new", floats: new Float64Array([Number.NaN]) })).model).toBe("acme/new");
  });

  it("refuses a body that is not a plain object and a model that is not provider/model_id", async () => {
    for (const input of [null, undefined, "prompt", 42, ["a"], new Map(), new Date()]) {
      expect((await refusal("t2i", input)).issues[0]?.message, String(input)).toMatch(/^must be an object of parameters \(got /);
    }
    for (const model of ["seedream", "a/b/c", "/x", 5, ""]) {
      expect((await refusal("t2i", { model })).issues[0]).toMatchObject({ path: "model", message: expect.stringMatching(/^must be a model slug "provider\/model_id"/) });
    }
  });

  it("uses each namespace's default when no model is named; client.run types without a default need one", async () => {
    expect((await prepareInput("t2i", { prompt: "x" })).model).toBe("google/nano-banana-2-lite");
    expect((await prepareInput("text-to-image", { prompt: "x" }, { runType: true })).model).toBe("google/nano-banana-2-lite");
    expect((await prepareInput("expansion", { image: "https://x.test/a.png" })).model).toBe("kling/kling-image-expansion");
    expect((await refusal("image-to-3d", { prompt: "x" }, { runType: true })).message).toBe('Invalid image-to-3d input: model: is required: type "image-to-3d" has no default model');
    expect((await prepareInput("image-to-3d", { model: "acme/mesh", prompt: "x" }, { runType: true })).model).toBe("acme/mesh");
    expect((await refusal("r2v", { prompt: "x" }, { runType: true })).issues[0]?.path).toBe("model");
    expect((await refusal("video", { prompt: "x" })).message).toMatch(/unknown namespace "video"/);
  });
});

describe("isBinary", () => {
  it("recognizes the values the SDK uploads, and nothing else", () => {
    for (const value of [new Blob(["x"]), new File(["x"], "a.png"), new ArrayBuffer(2), new Uint8Array(2), new DataView(new ArrayBuffer(1)), Buffer.from("x"), new ReadableStream()]) {
      expect(isBinary(value), Object.prototype.toString.call(value)).toBe(true);
    }
    for (const value of ["https://x.test/a.png", 1, null, undefined, {}, [], { arrayBuffer: () => 0 }, { getReader: () => 0 }]) {
      expect(isBinary(value), JSON.stringify(value)).toBe(false);
    }
  });
});

describe("modelParams", () => {
  it("marks the fields that take a file, and only those", () => {
    const spec = (slug: string, name: string) => modelParams[slug]?.find((param) => param.name === name);
    expect(spec("bytedance/seedream-5.0-lite-edit", "image")).toMatchObject({ type: "array", items: "string", media: true, required: true, min: 1, max: 14 });
    expect(spec("kling/kling-v2.6-i2v", "image_tail")?.media).toBe(true);
    expect(spec("google/veo-3.1-lite-i2v", "lastFrame")?.media).toBe(true);
    expect(spec("openai/whisper-1", "url")?.media).toBe(true);
    expect(spec("alibaba/wan2.6-i2v-flash", "audio")).toEqual({ name: "audio", type: "boolean" });
    expect(spec("kling/kling-avatar", "audio_id")?.media).toBeUndefined();
    expect(spec("kling/kling-v1.5-i2i", "image_reference")?.media).toBeUndefined();
    expect(spec("bytedance/seedream-4.5-t2i", "size")).toEqual({ name: "size", type: "string", format: "WIDTHxHEIGHT" });
    expect(modelParams["alibaba/cosyvoice-clone"]?.map((param) => param.name)).toEqual(["url", "text"]);
  });
});

describe("typed inputs", () => {
  it("compile exactly as test/model-inputs.types.ts expects (tsc --noEmit, every @ts-expect-error used)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modellix-types-"));
    try {
      const config = join(dir, "tsconfig.json");
      writeFileSync(config, JSON.stringify({
          extends: join(root, "tsconfig.json"),
          compilerOptions: { typeRoots: [join(root, "node_modules/@types")] },
          include: [],
          files: [join(root, "test/model-inputs.types.ts")],
        }));
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const result = await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", config], { cwd: root }).catch((error: { stdout?: string }) => ({
        stdout: error.stdout ?? String(error),
      }));
      expect(result.stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("complete the named model's own fields in an editor", () => {
    const file = join(root, "test/__completion-probe.ts");
    const text = [
      'import type { DefaultModel, KnownModels, ModelSlug, Namespace } from "../src/models/catalog.js";',
      'import type { SubmitInput } from "../src/models/inputs.js";',
      "declare function submit<N extends Namespace>(namespace: N): <M extends ModelSlug<KnownModels[N]>>(input: SubmitInput<N, M>) => void;",
      'submit("t2i")({ model: "bytedance/seedream-4.5-t2i", /*seedream*/ });',
      'submit("t2i")({ /*default*/ });',
    ].join("\n");
    const options = { ...ts.getDefaultCompilerOptions(), strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], noEmit: true };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [file],
      getScriptVersion: () => "1",
      getScriptSnapshot: (name) => {
        const content = name === file ? text : ts.sys.readFile(name);
        return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
      },
      getCurrentDirectory: () => root,
      getDefaultLibFileName: (opts) => ts.getDefaultLibFilePath(opts),
      fileExists: (name) => name === file || ts.sys.fileExists(name),
      readFile: (name) => (name === file ? text : ts.sys.readFile(name)),
    };
    const service = ts.createLanguageService(host);
    const complete = (marker: string) =>
      (service.getCompletionsAtPosition(file, text.indexOf(marker), {})?.entries ?? []).map((entry) => entry.name).sort();
    const seedream = complete("/*seedream*/");
    expect(seedream).toEqual(expect.arrayContaining(["size", "sequential_image_generation", "optimize_prompt_mode"]));
    expect(seedream).not.toContain("aspectRatio");
    const byDefault = complete("/*default*/");
    expect(byDefault).toEqual(expect.arrayContaining(["model", "prompt", "aspectRatio", "imageSize"]));
    expect(byDefault).not.toContain("size");
  });
});
