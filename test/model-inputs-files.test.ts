/**
 * What a known model's fields take, as a user meets it through the client: a
 * file field takes a URL, a file or (in Node) a local path, which is uploaded;
 * anything else, and a field the model does not take, is refused before any
 * request. `client.run()` sends unknown fields as given.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import Modellix, { ValidationError } from "modellix";
import { drive, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
/** An image-to-video model whose first frame is a URL or a file (no raw Base64). */
const i2v = "vidu/viduq3-turbo-i2v";
const file = "a URL (https://, http:// or data:), a file (Blob, ArrayBuffer, typed array or ReadableStream) or a local file path";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modellix-paths-"));
  await writeFile(join(dir, "cat.png"), png);
  await writeFile(join(dir, "song.mp3"), png);
  await mkdir(join(dir, "album"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The error a submit rejects with, driven on fake timers. */
async function refusal(submit: () => Promise<unknown>): Promise<ValidationError> {
  const error = await drive(submit()).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const uploads = (fake: ReturnType<typeof setup>["fake"]) => fake.requests.filter((request) => request.route === "media-files" && request.method === "POST");
const submits = (fake: ReturnType<typeof setup>["fake"]) => fake.requests.filter((request) => request.route === "submit");

describe("a local path in a known model's file field", () => {
  it("is uploaded as a file, named and typed after the path, and its URL is sent; relative paths too", async () => {
    // Real timers: the file is read from disk while the upload runs, which fake time would outrun (the request would time out).
    vi.useRealTimers();
    const { fake, client } = setup();
    const input = { model: i2v, prompt: "the cat waves", first_frame_image: join(dir, "cat.png") } as const;
    await client.i2v.submit(input);
    expect(uploads(fake).map((request) => request.body)).toEqual([{ file: { filename: "cat.png", contentType: "image/png", size: png.length } }]);
    const sent = submits(fake)[0]?.body as { first_frame_image: string; prompt: string };
    expect(sent.first_frame_image).toMatch(/\/uploads\/.*\/cat\.png$/);
    expect(sent.prompt).toBe("the cat waves");
    expect(input.first_frame_image).toBe(join(dir, "cat.png")); // the caller's input is left as it is

    await client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", prompt: "make it snow", image: ["https://example.com/a.png", relative(process.cwd(), join(dir, "cat.png"))] });
    const edit = submits(fake)[1]?.body as { image: string[] };
    expect(edit.image[0]).toBe("https://example.com/a.png");
    expect(edit.image[1]).toMatch(/\/uploads\/.*\/cat\.png$/);
    expect(uploads(fake)).toHaveLength(2);
  });

  it("that names no file, or a directory, is a ValidationError naming the field and why, and nothing is sent", async () => {
    const { fake, client } = setup();
    const missing = await refusal(() => client.i2v.submit({ model: i2v, prompt: "x", first_frame_image: "./cat.png" }));
    expect(missing.message).toBe(`Invalid i2v input: first_frame_image: must be ${file} (got "./cat.png": no such file)`);
    const folder = await refusal(() => client.i2v.submit({ model: i2v, prompt: "x", first_frame_image: join(dir, "album") }));
    expect(folder.issues[0]?.message).toMatch(/: not a file\)$/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("junk in a known model's file field", () => {
  it.each([
    ["a sentence", "not a url", 'got "not a url": no such file'],
    ["an empty string", "", 'got ""'],
    ["a word", "cat", 'got "cat": no such file'],
    ["a number", 42, "got 42"],
    ["another scheme", "ftp://example.com/cat.png", 'got "ftp://example.com/cat.png"'],
    ["a URL without a host", "https://", 'got "https://"'],
  ])("%s is refused before any request", async (_, value, got) => {
    const { fake, client } = setup();
    const error = await refusal(() => client.i2v.submit({ model: i2v, prompt: "the cat waves", first_frame_image: value as string }));
    expect(error.issues).toEqual([{ path: "first_frame_image", message: `must be ${file} (${got})` }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("URLs (https, http, data:) and files pass; raw Base64 only where the model's docs allow it", async () => {
    const { fake, client } = setup();
    const base64 = Buffer.from(new Uint8Array(96).fill(7)).toString("base64");
    await drive(client.i2v.submit({ model: i2v, prompt: "x", first_frame_image: "http://127.0.0.1:9/cat.png" }));
    await drive(client.i2v.submit({ model: i2v, prompt: "x", first_frame_image: `data:image/png;base64,${base64}` }));
    await drive(client.i2v.submit({ model: "kling/kling-v2.6-i2v", prompt: "x", image: base64 }));
    expect(submits(fake)).toHaveLength(3);
    expect(submits(fake)[2]?.body).toMatchObject({ image: base64 });
    const error = await refusal(() => client.i2v.submit({ model: "vidu/viduq3-turbo-i2v", prompt: "x", first_frame_image: base64 }));
    expect(error.issues[0]?.message).toMatch(/^must be a URL .* \(got "BwcH/);
    expect(submits(fake)).toHaveLength(3);
  });

  it("is not checked for a model the catalog does not know: its fields pass through", async () => {
    const { fake, client } = setup({}, { strictModels: false });
    await drive(client.run("i2v", "acme/brand-new-i2v", { prompt: "x", image: "cat" }));
    expect(submits(fake)[0]?.body).toEqual({ prompt: "x", image: "cat" });
  });
});

describe("a field a known model does not take", () => {
  it("is a ValidationError naming the nearest field and the fields the model takes; nothing is sent", async () => {
    const { fake, client } = setup();
    const ratio = await refusal(() => client.t2i.submit({ model: "google/nano-banana-2", prompt: "a fox", aspect_ratio: "16:9" } as never));
    expect(ratio.message).toBe(
      "Invalid t2i input: aspect_ratio: not a field of google/nano-banana-2; did you mean aspectRatio? " +
        "(its fields: prompt, aspectRatio, imageSize; client.run() sends unknown fields as given)",
    );
    const size = await refusal(() => client.t2i.submit({ model: "google/nano-banana-2", prompt: "a fox", size: "1024x1024", quality: "hd" } as never));
    expect(size.issues.map((issue) => issue.path)).toEqual(["size", "quality"]);
    expect(size.issues[0]?.message).toBe("not a field of google/nano-banana-2; did you mean imageSize?");
    expect(size.issues[1]?.message).toMatch(/^not a field of google\/nano-banana-2 \(its fields: /);
    const typo = await refusal(() => client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", promt: "a fox" } as never));
    expect(typo.issues).toEqual([
      { path: "prompt", message: "is required" },
      { path: "promt", message: expect.stringMatching(/^not a field of bytedance\/seedream-4\.5-t2i; did you mean prompt\? /) },
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it("is refused in plain JavaScript objects and in a batch too, before any item is sent", async () => {
    const { fake, client } = setup();
    const fromForm = JSON.parse('{"model":"google/nano-banana-2","prompt":"a fox","aspect_ratio":"16:9"}') as Record<string, unknown>;
    await refusal(() => client.textToImage(fromForm as never));
    await refusal(() => client.batch([{ type: "t2i", model: "google/nano-banana-2", prompt: "a", aspectRatio: "1:1" }, { type: "t2i", ...fromForm }]));
    expect(fake.requests).toHaveLength(0);
  });

  it("is sent as given by client.run(), which still checks the fields the model takes", async () => {
    const { fake, client } = setup();
    await drive(client.run("t2i", "google/nano-banana-2", { prompt: "a fox", aspect_ratio: "16:9", watermark: false }));
    expect(submits(fake)[0]?.body).toEqual({ prompt: "a fox", aspect_ratio: "16:9", watermark: false });
    const error = await refusal(() => client.run("t2i", "google/nano-banana-2", { prompt: "a fox", aspectRatio: "16:10", extra: 1 }));
    expect(error.issues).toEqual([{ path: "aspectRatio", message: expect.stringMatching(/^must be "1:1", .* \(got "16:10"\)$/) }]);
    expect(submits(fake)).toHaveLength(1);
  });
});

describe("the error classes on the default export (ESM)", () => {
  it("Modellix.ValidationError is the class a refused submit throws", async () => {
    const { client } = setup();
    const error = await refusal(() => client.t2i.submit({ model: "google/nano-banana-2", prompt: 42 } as never));
    expect(error).toBeInstanceOf(Modellix.ValidationError);
    expect(Modellix.ValidationError).toBe(ValidationError);
  });
});
