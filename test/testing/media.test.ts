import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeModellix } from "../../src/testing/index.js";
import { API, ORIGIN, call, envelope, upload } from "./support.js";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

describe("FakeModellix media files", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-06-01T00:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("stores an upload and answers file_id, url, type, filename, size and created_at", async () => {
    const fake = new FakeModellix();
    const response = await upload(fake.fetch, new Blob([PNG], { type: "image/png" }), "cat.png");
    expect(response.status).toBe(200);
    const body = await envelope(response);
    const data = body.data as Record<string, unknown>;
    expect(body).toMatchObject({ code: 0, message: "success" });
    expect(data).toEqual({
      file_id: expect.stringMatching(/^file-1-[a-z0-9]+$/),
      url: `${ORIGIN}/uploads/${data.file_id}/cat.png`,
      type: "image",
      filename: "cat.png",
      size: PNG.byteLength,
      created_at: "2026-06-01T00:00:00.000Z",
    });
    expect(fake.files).toEqual([expect.objectContaining({ id: data.file_id, contentType: "image/png", size: PNG.byteLength })]);
    expect(fake.stats.filesUploaded).toBe(1);
    expect(fake.requests[0]).toMatchObject({
      route: "media-files",
      body: { file: { filename: "cat.png", contentType: "image/png", size: PNG.byteLength } },
    });
  });

  it("serves an uploaded file back at its url, without a key and outside the rate window", async () => {
    const fake = new FakeModellix({ rateLimit: 1 });
    const { url } = (await envelope(await upload(fake.fetch, new Blob([PNG], { type: "image/png" }), "a b.png"))).data as { url: string };
    expect(url).toBe(`${ORIGIN}/uploads/${fake.files[0]?.id}/a%20b.png`);
    const file = await fake.fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("content-length")).toBe(String(PNG.byteLength));
    expect(file.headers.get("x-ratelimit-limit")).toBeNull();
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    expect((await fake.fetch(url.replace("a%20b.png", "other.png"))).status).toBe(404);
  });

  it("tells image, video and audio from the content type, or from the name when there is none", async () => {
    const fake = new FakeModellix();
    const kinds: Array<[Blob, string, string]> = [
      [new Blob(["v"], { type: "video/mp4" }), "clip.bin", "video"],
      [new Blob(["a"], { type: "audio/mpeg" }), "voice", "audio"],
      [new Blob(["i"]), "photo.JPG", "image"],
      [new Blob(["a"]), "speech.wav", "audio"],
    ];
    for (const [blob, name, type] of kinds) {
      expect(((await envelope(await upload(fake.fetch, blob, name))).data as { type: string }).type, name).toBe(type);
    }
  });

  it("refuses a file over the size limit with 413, and bad uploads with 400", async () => {
    const fake = new FakeModellix({ maxUploadBytes: 4 });
    const big = await upload(fake.fetch, new Blob([PNG], { type: "image/png" }), "big.png");
    expect(big.status).toBe(413);
    expect(await envelope(big)).toEqual({
      code: 413,
      message: `Payload Too Large: File too large: ${PNG.byteLength} bytes exceeds the 4-byte limit`,
    });
    const text = await upload(fake.fetch, new Blob(["hi"], { type: "text/plain" }), "notes.txt");
    expect((await envelope(text)).message).toBe("Invalid parameters: parameter 'file' has type text/plain, which is not supported (image, video or audio)");
    const empty = await upload(fake.fetch, new Blob([], { type: "image/png" }), "empty.png");
    expect((await envelope(empty)).message).toBe("Invalid parameters: parameter 'file' is empty");
    const form = new FormData();
    form.append("image", new Blob(["x"], { type: "image/png" }), "x.png");
    const wrongField = await fake.fetch(`${API}/media/files`, { method: "POST", headers: { Authorization: "Bearer k" }, body: form });
    expect((await envelope(wrongField)).message).toBe("Missing required parameter: parameter 'file' is required");
    const stringField = new FormData();
    stringField.append("file", "https://x/a.png");
    const notAFile = await fake.fetch(`${API}/media/files`, { method: "POST", headers: { Authorization: "Bearer k" }, body: stringField });
    expect((await envelope(notAFile)).message).toBe("Invalid parameters: parameter 'file' must be a file part");
    const json = await call(fake.fetch, "/media/files", { method: "POST", body: JSON.stringify({ file: "x" }) });
    expect(json.status).toBe(400);
    expect((await envelope(json)).message).toBe("Invalid format: request body must be multipart/form-data with a file field");
    expect(fake.files).toHaveLength(0);
  });

  it("lists and deletes files; a deleted file is gone from its url", async () => {
    const fake = new FakeModellix();
    await upload(fake.fetch, new Blob(["1"], { type: "image/png" }), "one.png");
    vi.advanceTimersByTime(1000);
    const second = (await envelope(await upload(fake.fetch, new Blob(["22"], { type: "audio/wav" }), "two.wav"))).data as {
      file_id: string;
      url: string;
    };
    const listed = await envelope(await call(fake.fetch, "/media/files"));
    expect(listed.data).toEqual({
      files: [
        expect.objectContaining({ filename: "one.png", type: "image", size: 1, created_at: "2026-06-01T00:00:00.000Z" }),
        expect.objectContaining({ filename: "two.wav", type: "audio", size: 2, created_at: "2026-06-01T00:00:01.000Z" }),
      ],
    });
    const deleted = await call(fake.fetch, `/media/files/${second.file_id}`, { method: "DELETE" });
    expect(await envelope(deleted)).toEqual({ code: 0, message: "success", data: { file_id: second.file_id, deleted: true } });
    expect(fake.requests.at(-1)?.route).toBe("media-file");
    expect((await fake.fetch(second.url)).status).toBe(404);
    const again = await call(fake.fetch, `/media/files/${second.file_id}`, { method: "DELETE" });
    expect(await envelope(again)).toEqual({ code: 404, message: "Not Found: File not found" });
    expect(((await envelope(await call(fake.fetch, "/media/files"))).data as { files: unknown[] }).files).toHaveLength(1);
    fake.reset();
    expect(fake.files).toHaveLength(0);
  });

  it("keeps an encoded file id in one segment and needs a key for the API routes", async () => {
    const fake = new FakeModellix();
    const response = await call(fake.fetch, "/media/files/a%2F..%2Fb", { method: "DELETE" });
    expect((await envelope(response)).message).toBe("Not Found: File not found");
    expect(fake.requests[0]).toMatchObject({ route: "media-file", path: "/api/v1/media/files/a/../b" });
    const form = new FormData();
    form.append("file", new Blob(["x"], { type: "image/png" }), "x.png");
    expect((await fake.fetch(`${API}/media/files`, { method: "POST", body: form })).status).toBe(401);
    expect((await fake.fetch(`${API}/media/files`)).status).toBe(401);
  });
});
