import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InternalServerError, ValidationError } from "modellix";
import { uploadFile } from "modellix/node";
import { drive, setup, useFakeTimersInEachTest } from "./helpers.js";

useFakeTimersInEachTest();

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const uploads = (fake: ReturnType<typeof setup>["fake"]) => fake.requests.filter((request) => request.route === "media-files" && request.method === "POST");

describe("client.files", () => {
  it("uploads a Blob, a File, bytes or a stream as multipart field `file`, and lists and deletes them", async () => {
    const { fake, client } = setup();
    const fromBlob = await client.files.upload(new Blob([png], { type: "image/png" }), { filename: "cat.png" });
    expect(fromBlob).toMatchObject({ fileId: expect.any(String), url: expect.stringMatching(/^https:\/\//), type: "image", filename: "cat.png", size: png.length });
    expect(fromBlob.createdAt).toBeInstanceOf(Date);
    await client.files.upload(new File([png], "dog.png", { type: "image/png" }));
    await client.files.upload(png, { filename: "raw.png", contentType: "image/png" });
    await client.files.upload(new Blob([png]).stream(), { filename: "streamed.png", contentType: "image/png" });
    expect(uploads(fake).map((request) => (request.body as { file: { filename: string } }).file.filename)).toEqual(["cat.png", "dog.png", "raw.png", "streamed.png"]);
    const listed = await client.files.list();
    expect(listed.map((file) => file.filename).sort()).toEqual(["cat.png", "dog.png", "raw.png", "streamed.png"]);
    await client.files.delete(fromBlob.fileId);
    expect((await client.files.list()).map((file) => file.fileId)).not.toContain(fromBlob.fileId);
    expect(fake.requests.at(-2)?.path).toBe(`/api/v1/media/files/${fromBlob.fileId}`);
  });

  it("an upload is sent again only when nothing was stored (a 429), never after a 5xx; a bad value is a ValidationError", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 429 }, { match: { method: "POST", route: "media-files" } });
    await expect(drive(client.files.upload(new Blob([png], { type: "image/png" }), { filename: "a.png" }))).resolves.toMatchObject({ type: "image" });
    expect(uploads(fake)).toHaveLength(2);
    fake.inject({ kind: "status-after-create", status: 502 }, { match: { method: "POST", route: "media-files" } });
    await expect(drive(client.files.upload(new Blob([png], { type: "image/png" }), { filename: "b.png" }))).rejects.toBeInstanceOf(InternalServerError);
    expect(uploads(fake)).toHaveLength(3);
    await expect(client.files.upload("not bytes" as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it("modellix/node uploadFile(client, path) sends the file's name and type", async () => {
    const { fake, client } = setup();
    const dir = await mkdtemp(join(tmpdir(), "modellix-upload-"));
    await writeFile(join(dir, "voice.mp3"), png);
    const file = await uploadFile(client, join(dir, "voice.mp3"));
    expect(file).toMatchObject({ type: "audio", filename: "voice.mp3", size: png.length });
    expect((uploads(fake)[0]?.body as { file: { contentType: string } } | undefined)?.file.contentType).toBe("audio/mpeg");
  });
});

describe("binary values in a submit input", () => {
  it("are uploaded after validation and replaced by their URLs, at the top level and in arrays", async () => {
    const { fake, client } = setup();
    const image = new Blob([png], { type: "image/png" });
    await client.i2i.submit({ prompt: "make it blue", image: [image, "https://example.com/b.png", png] });
    await client.i2v.submit({ prompt: "waves", first_frame_image: image });
    const posts = fake.requests.filter((request) => request.route === "submit");
    const edit = posts[0]?.body as { image: string[] };
    expect(edit.image).toHaveLength(3);
    expect(edit.image[0]).toMatch(/\/uploads\//);
    expect(edit.image[1]).toBe("https://example.com/b.png");
    expect(edit.image[2]).toMatch(/\/uploads\//);
    expect((posts[1]?.body as { first_frame_image: string } | undefined)?.first_frame_image).toMatch(/\/uploads\//);
    expect(uploads(fake)).toHaveLength(3);
  });

  it("invalid input uploads nothing and sends nothing", async () => {
    const { fake, client } = setup();
    await expect(client.i2v.submit({ first_frame_image: new Blob([png]) } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toHaveLength(0);
  });
});
