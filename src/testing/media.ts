import type { Refusal } from "./envelope.js";

/** What kind of media an uploaded file is, from its content type (or, lacking one, its file name). */
export type FakeMediaType = "image" | "video" | "audio";

/** A file uploaded with `POST /api/v1/media/files`, as {@link FakeModellix.files} lists it. */
export interface FakeMediaFile {
  /** The `file_id` answered, e.g. `file-1-k3j9x2`. */
  readonly id: string;
  /** Where the fake serves the bytes back: `{origin}/uploads/{file_id}/{filename}` (no key needed). */
  readonly url: string;
  /** Media kind, from the part's content type. */
  readonly type: FakeMediaType;
  /** The part's file name (`blob` when the client gave none). */
  readonly filename: string;
  /** The part's content type as sent (`application/octet-stream` when the client gave none). */
  readonly contentType: string;
  /** Size in bytes. */
  readonly size: number;
  /** Upload time on the fake's clock (ms). */
  readonly createdAt: number;
  /** The uploaded bytes. */
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** A file part that passed the checks, ready to store. */
export interface UploadedPart {
  /** The file's bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The part's file name. */
  filename: string;
  /** The part's content type. */
  contentType: string;
  /** The media kind. */
  type: FakeMediaType;
}

/** An upload refused: 413 for a file over the limit (with the detail of its message), or a 400 in the docs' categories. */
export type UploadRefusal = { status: 413; detail: string } | Refusal;

const EXTENSIONS: ReadonlyArray<[RegExp, FakeMediaType]> = [
  [/\.(png|jpe?g|webp|gif|bmp|tiff?|heic|avif)$/i, "image"],
  [/\.(mp4|mov|webm|mkv|avi|m4v)$/i, "video"],
  [/\.(mp3|wav|m4a|aac|ogg|oga|flac|opus)$/i, "audio"],
];

/** The media kind of a content type such as `image/png`, falling back to the file name's extension. */
export function mediaTypeOf(contentType: string, filename: string): FakeMediaType | undefined {
  const major = contentType.split("/")[0]?.trim().toLowerCase();
  if (major === "image" || major === "video" || major === "audio") return major;
  return EXTENSIONS.find(([pattern]) => pattern.test(filename))?.[1];
}

/**
 * Checks the `file` field of an upload form: present, a file, not empty, at most
 * `maxBytes`, and an image, video or audio. Without a form (not multipart, or
 * unparseable) the body is refused with 400.
 */
export async function readUploadedPart(form: FormData | undefined, maxBytes: number): Promise<UploadedPart | UploadRefusal> {
  if (!form) return { category: "Invalid format", detail: "request body must be multipart/form-data with a file field" };
  const file = form.get("file");
  if (file === null) return { category: "Missing required parameter", detail: "parameter 'file' is required" };
  if (typeof file === "string") return { category: "Invalid parameters", detail: "parameter 'file' must be a file part" };
  if (file.size > maxBytes) return { status: 413, detail: `File too large: ${file.size} bytes exceeds the ${maxBytes}-byte limit` };
  if (file.size === 0) return { category: "Invalid parameters", detail: "parameter 'file' is empty" };
  const contentType = file.type || "application/octet-stream";
  const filename = file.name || "blob";
  const type = mediaTypeOf(contentType, filename);
  if (!type) return { category: "Invalid parameters", detail: `parameter 'file' has type ${contentType}, which is not supported (image, video or audio)` };
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename, contentType, type };
}

/** The JSON the API answers for a file: `{ file_id, url, type, filename, size, created_at }` (`created_at` in ISO 8601). */
export function mediaFileData(file: FakeMediaFile): Record<string, unknown> {
  return {
    file_id: file.id,
    url: file.url,
    type: file.type,
    filename: file.filename,
    size: file.size,
    created_at: new Date(file.createdAt).toISOString(),
  };
}

/** Uploaded files, by id, in upload order. */
export class MediaStore {
  #files = new Map<string, FakeMediaFile>();
  #count = 0;

  /** Stores a checked part uploaded at `now`; its URL is on `origin`. */
  add(part: UploadedPart, origin: string, now: number): FakeMediaFile {
    const id = `file-${++this.#count}-${Math.random().toString(36).slice(2, 8)}`;
    const file: FakeMediaFile = {
      id,
      url: `${origin}/uploads/${encodeURIComponent(id)}/${encodeURIComponent(part.filename)}`,
      type: part.type,
      filename: part.filename,
      contentType: part.contentType,
      size: part.bytes.byteLength,
      createdAt: now,
      bytes: part.bytes,
    };
    this.#files.set(id, file);
    return file;
  }

  /** The file with this id. */
  get(id: string): FakeMediaFile | undefined {
    return this.#files.get(id);
  }

  /** Forgets a file; false when there was none. */
  delete(id: string): boolean {
    return this.#files.delete(id);
  }

  /** Every stored file, oldest first. */
  list(): FakeMediaFile[] {
    return [...this.#files.values()];
  }

  /** Forgets every file. */
  clear(): void {
    this.#files.clear();
  }
}
