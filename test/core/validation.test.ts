import { describe, expect, it } from "vitest";
import { ModellixError, ValidationError } from "modellix";
import { drive, setup, useFakeTimersInEachTest } from "../helpers.js";

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
  it("a known model is checked against its own parameters: size format, enums, required fields", async () => {
    const { fake, client } = setup();
    await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "x", size: "2048x2048" });
    const star = await rejectsWithValidation(client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "x", size: "2048*2048" as never }));
    expect(star.issues[0]?.path).toBe("size");
    expect(star.issues[0]?.message).toContain("2048x2048");
    const qwen = await rejectsWithValidation(client.t2i.submit({ model: "alibaba/qwen-image", prompt: "x", size: "1024x1024" as never }));
    expect(qwen.issues[0]?.path).toBe("size");
    expect(qwen.issues[0]?.message).toContain("1328*1328");
    const missing = await rejectsWithValidation(client.tts.submit({ text: "hi" } as never));
    expect(missing.issues).toEqual([{ path: "voice", message: expect.stringContaining("required") }]);
    const listed = await rejectsWithValidation(client.t2v.submit({ prompt: "x", resolution: "720P" as never }));
    expect(listed.issues.map((issue) => issue.path).sort()).toEqual(["resolution"]);
    expect(listed.issues[0]?.message).toContain("720p");
    expect(fake.countRequests({ method: "POST" })).toBe(1);
  });

  it("accepts what each family really takes: image arrays for edit models, first_frame_image for Seedance, Hailuo and Vidu", async () => {
    const { fake, client } = setup();
    const image = "https://example.com/a.png";
    await drive(client.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", prompt: "x", image: [image, image] }).wait());
    await drive(client.i2v.submit({ model: "bytedance/seedance-2.0-fast-i2v", prompt: "x", first_frame_image: image }).wait());
    await drive(client.i2v.submit({ model: "minimax/hailuo-2.3-i2v", prompt: "x", first_frame_image: image }).wait());
    await drive(client.i2v.submit({ model: "vidu/viduq3-turbo-i2v", prompt: "x", first_frame_image: image } as never).wait());
    expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      "/api/v1/bytedance/seedream-5.0-lite-edit",
      "/api/v1/bytedance/seedance-2.0-fast-i2v",
      "/api/v1/minimax/hailuo-2.3-i2v",
      "/api/v1/vidu/viduq3-turbo-i2v",
    ]);
  });

  it("the docs spelling of a slug is accepted and sent as the real id", async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: () => {}, warn: () => {}, error: () => {} };
    const { fake, client } = setup({ logger, logLevel: "debug" });
    const task = await client.t2i.submit({ model: "bytedance/seedream-4-5-t2i", prompt: "x" });
    expect(fake.requests[0]?.path).toBe("/api/v1/bytedance/seedream-4.5-t2i");
    expect(task.model).toBe("bytedance/seedream-4.5-t2i");
    expect(lines.some((line) => line.includes('"bytedance/seedream-4-5-t2i" is the docs spelling'))).toBe(true);
  });

  it("model must be provider/model_id, and a known model must be used in its own namespace", async () => {
    const { fake, client } = setup();
    for (const model of ["seedream", "a/b/c", "../x", "a/..", " a/b"]) {
      const error = await rejectsWithValidation(client.t2i.submit({ model, prompt: "x" }));
      expect(error.issues[0]?.path).toBe("model");
    }
    const wrong = await rejectsWithValidation(client.t2i.submit({ model: "bytedance/seedance-2.0-mini-t2v", prompt: "x" } as never));
    expect(wrong.message).toContain("client.t2v.submit()");
    expect(fake.requests).toHaveLength(0);
  });

  it("an unknown model: only what is surely wrong is refused, every other field passes through untouched", async () => {
    const { fake, client } = setup({}, { strictModels: false });
    const fields = { prompt: "x", size: "1024x1024", image: ["a", "b"], nested: { deep: [1, { two: 2 }] }, flag: true };
    await client.t2i.submit({ model: "acme/brand-new-model", ...fields });
    expect(fake.requests[0]?.path).toBe("/api/v1/acme/brand-new-model");
    expect(fake.requests[0]?.body).toEqual(fields);
    await rejectsWithValidation(client.t2i.submit({ model: "acme/brand-new-model", prompt: 42 } as never));
    await rejectsWithValidation(client.t2i.submit({ model: "acme/brand-new-model", prompt: "x", strength: Number.NaN }));
    await rejectsWithValidation(client.t2i.submit({ model: "acme/brand-new-model", prompt: "x", nested: { a: [Number.POSITIVE_INFINITY] } }));
    await rejectsWithValidation(client.t2i.submit("a prompt" as never));
    await rejectsWithValidation(client.t2i.submit([{ prompt: "x" }] as never));
    const nested = await rejectsWithValidation(client.t2i.submit({ model: "acme/brand-new-model", prompt: "x", refs: { face: new Blob(["x"]) } }));
    expect(nested.issues).toEqual([{ path: "refs.face", message: expect.stringContaining("client.files.upload()") }]);
    expect(fake.requests).toHaveLength(1);
  });

  it("a task id that would change the path is refused; retrieve of an empty id too", async () => {
    const { fake, client } = setup();
    expect(() => client.tasks.retrieve("")).toThrow(ValidationError);
    await expect(client.tasks.retrieve("..").status()).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toHaveLength(0);
  });
});
