import { describe, expect, it } from "vitest";
import { ModellixError, ValidationError } from "modellix";
import { setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

async function rejectsWithValidation(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toBeInstanceOf(ModellixError);
  return error as ValidationError;
}

describe("input validation happens before any request", () => {
  it("size must be W*H: names the field and the right format", async () => {
    const { fake, client } = setup();
    const error = await rejectsWithValidation(client.t2i.submit({ prompt: "x", size: "1024x1024" }));
    expect(error.issues).toEqual([{ path: "size", message: 'must be "W*H" with positive integers, e.g. "1024*1024"' }]);
    expect(error.message).toContain('size: must be "W*H"');
    for (const size of ["1024", "0*512", "-1*5", "1024*", "1.5*2"]) {
      await rejectsWithValidation(client.t2i.submit({ prompt: "x", size }));
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("prompt is required where the type needs it; seed must be an integer; every bad field is listed", async () => {
    const { fake, client } = setup();
    const error = await rejectsWithValidation(client.t2v.submit({ seed: 1.5, duration: -2 } as never));
    expect(error.issues.map((i) => i.path).sort()).toEqual(["duration", "prompt", "seed"]);
    expect(error.issues.find((i) => i.path === "prompt")?.message).toBe("is required");
    expect(error.issues.find((i) => i.path === "seed")?.message).toBe("must be an integer (got 1.5)");
    await rejectsWithValidation(client.t2i.submit({ prompt: "" }));
    expect(fake.requests).toHaveLength(0);
  });

  it("image inputs must be http(s) URLs; i2v needs an image", async () => {
    const { fake, client } = setup();
    const bad = await rejectsWithValidation(client.i2i.submit({ prompt: "x", images: ["https://ok.example/a.png", "file:///etc/passwd"] }));
    expect(bad.issues).toEqual([{ path: "images.1", message: "must be an http(s) URL" }]);
    const missing = await rejectsWithValidation(client.i2v.submit({ prompt: "no image" }));
    expect(missing.issues[0]?.message).toContain("needs `image` or `start_image`");
    await rejectsWithValidation(client.expansion.submit({ image: "javascript:alert(1)" }));
    expect(fake.requests).toHaveLength(0);
  });

  it("model must be provider/model_id, and a known model must be used in its own namespace", async () => {
    const { fake, client } = setup();
    for (const model of ["seedream", "a/b/c", "../x", "a/..", " a/b"]) {
      const error = await rejectsWithValidation(client.t2i.submit({ model, prompt: "x" }));
      expect(error.issues[0]?.path).toBe("model");
    }
    const wrong = await rejectsWithValidation(client.t2i.submit({ model: "bytedance/seedance-2-0-t2v", prompt: "x" }));
    expect(wrong.message).toContain("is a t2v model: use client.t2v.submit()");
    expect(fake.requests).toHaveLength(0);
  });

  it("unknown models and unknown fields go through", async () => {
    const { fake, client } = setup();
    await client.t2i.submit({ model: "acme/brand-new-model", prompt: "x", brand_new_param: { a: 1 } });
    expect(fake.requests[0]?.path).toBe("/api/v1/t2i/acme/brand-new-model/async");
    expect(fake.requests[0]?.body).toEqual({ prompt: "x", brand_new_param: { a: 1 } });
  });

  it("a task id that would change the path is refused; retrieve of an empty id too", async () => {
    const { fake, client } = setup();
    expect(() => client.tasks.retrieve("")).toThrow(ValidationError);
    await expect(client.tasks.retrieve("..").status()).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toHaveLength(0);
  });
});
