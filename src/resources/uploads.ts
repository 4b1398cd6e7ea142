/**
 * The code behind `client.files` and the uploads of binary submit inputs,
 * loaded on first use (see `loadUploads` in files.ts).
 */
import { isRecord } from "../core/envelope.js";
import { ValidationError } from "../core/errors.js";
import { pathOf } from "../core/path.js";
import { dataRecord, invalidResponse, listIn } from "../core/response-data.js";
import type { WithResponse } from "../core/response-promise.js";
import type { APIResponse, RequestOptions, Transport } from "../core/transport.js";

/** Binary data the SDK can upload: a `Blob`/`File`, bytes, or a stream of bytes. */
export type FileData = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

/** A file in the team's media storage (`POST /media/files`). */
export interface UploadedFile {
  /** The file's id, for `files.delete(id)`. */
  fileId: string;
  /** Its URL: pass it as a model input (`image`, `first_frame_image`, ...). */
  url: string;
  /** `"image"`, `"video"` or `"audio"`, as the API classified it. */
  type: string | undefined;
  filename: string | undefined;
  /** Size in bytes. */
  size: number | undefined;
  createdAt: Date | undefined;
  /** The entry as received. */
  data: Record<string, unknown>;
}

/** Options of `client.files.upload()`. */
export interface UploadOptions extends RequestOptions {
  /** The file name sent (default: a `File`'s own name, else `upload`). */
  filename?: string | undefined;
  /** The content type sent (default: a `Blob`'s own type, else `application/octet-stream`). */
  contentType?: string | undefined;
}

/** The largest file the API stores, in bytes: 16 MiB (the vendor's limit). */
export const maxUploadBytes = 16 * 1024 * 1024;

/** `POST /media/files` with `file` as the multipart field `file`; a file over {@link maxUploadBytes} is refused before sending. */
export async function uploadFile(transport: Transport, file: FileData, options: UploadOptions): Promise<WithResponse<UploadedFile>> {
  const { filename, contentType, ...request } = options;
  return send(transport, await partOf(file, { filename, contentType }, { path: "file", subject: "upload" }), request);
}

/** `GET /media/files`, whatever the list is wrapped in. */
export async function listFiles(transport: Transport, options: RequestOptions): Promise<WithResponse<UploadedFile[]>> {
  const response = await transport.get(pathOf("media", "files"), options);
  const rows = listIn(response.data, ["files", "items", "list", "data"]);
  if (!rows) throw invalidResponse(response, "a list of files");
  return { data: rows.filter(isRecord).map((row) => toUploadedFile(row, response)), response: response.response };
}

/** `DELETE /media/files/{id}`. */
export async function deleteFile(transport: Transport, fileId: string, options: RequestOptions): Promise<WithResponse<void>> {
  const response = await transport.delete(pathOf("media", "files", fileId), options);
  return { data: undefined, response: response.response };
}

/**
 * Uploads every binary value of a submit body (top level, or inside a
 * top-level array) and puts its URL in its place. Runs after validation, so
 * invalid input uploads nothing; every file is read and checked against the
 * size limit before the first is sent, so one too large uploads nothing either.
 */
export async function uploadInputFiles(
  transport: Transport,
  body: Record<string, unknown>,
  isBinary: (value: unknown) => boolean,
  options: RequestOptions,
): Promise<Record<string, unknown>> {
  const { signal, timeout, headers } = options;
  const parts = await mapFields(body, (value, path) => (isBinary(value) ? partOf(value as FileData, {}, { path, subject: "input" }) : value));
  return mapFields(parts, async (value) => (value instanceof UploadPart ? (await send(transport, value, { signal, timeout, headers })).data.url : value));
}

/** A file ready to upload: its bytes as a typed Blob, within the size limit, and the name to send. */
class UploadPart {
  constructor(
    readonly blob: Blob,
    readonly filename: string,
  ) {}
}

/** `file` read as an {@link UploadPart}; a {@link ValidationError} naming `where` when it is over {@link maxUploadBytes}. */
async function partOf(file: FileData, { filename, contentType }: Pick<UploadOptions, "filename" | "contentType">, where: { path: string; subject: string }): Promise<UploadPart> {
  const blob = await toBlob(file, contentType);
  if (blob.size > maxUploadBytes) {
    const message = `is ${(blob.size / 1024 / 1024).toFixed(1)} MiB (${blob.size} bytes); the API stores files of at most 16 MiB: make it smaller, or pass its URL instead`;
    throw new ValidationError([{ path: where.path, message }], where.subject);
  }
  return new UploadPart(blob, filename ?? (file instanceof File && file.name ? file.name : "upload"));
}

/** Sends one {@link UploadPart}. */
async function send(transport: Transport, part: UploadPart, request: RequestOptions): Promise<WithResponse<UploadedFile>> {
  const form = new FormData();
  form.append("file", part.blob, part.filename);
  const response = await transport.upload(pathOf("media", "files"), form, request);
  return { data: toUploadedFile(dataRecord(response, "the uploaded file"), response), response: response.response };
}

/** `body` with `map` applied to each top-level value and to each item of a top-level array (path `name` or `name.index`). */
async function mapFields(body: Record<string, unknown>, map: (value: unknown, path: string) => unknown): Promise<Record<string, unknown>> {
  const field = async ([name, value]: [string, unknown]) =>
    [name, Array.isArray(value) ? await Promise.all(value.map((item, index) => map(item, `${name}.${index}`))) : await map(value, name)] as const;
  return Object.fromEntries(await Promise.all(Object.entries(body).map(field)));
}

/** The file as a Blob with a content type: `contentType`, else its own, else sniffed from its first bytes. */
async function toBlob(file: FileData, contentType: string | undefined): Promise<Blob> {
  let blob: Blob;
  if (file instanceof Blob) blob = file;
  else if (file instanceof ReadableStream) blob = new Blob([await new Response(file).arrayBuffer()]);
  else if (file instanceof ArrayBuffer) blob = new Blob([file]);
  else if (ArrayBuffer.isView(file)) blob = new Blob([new Uint8Array(file.buffer, file.byteOffset, file.byteLength).slice()]);
  else throw new ValidationError([{ path: "file", message: "must be a Blob, File, ArrayBuffer, typed array or ReadableStream" }], "upload");
  const type = contentType ?? (blob.type || sniff(new Uint8Array(await blob.slice(0, 12).arrayBuffer())));
  return type === blob.type ? blob : new Blob([blob], { type });
}

/** The media type of common image, video and audio files by their signature (the API refuses octet-stream). */
function sniff(head: Uint8Array): string {
  const text = String.fromCharCode(...head);
  if (text.startsWith("\x89PNG")) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8) return "image/jpeg";
  if (text.startsWith("GIF8")) return "image/gif";
  if (text.startsWith("RIFF") && text.slice(8) === "WEBP") return "image/webp";
  if (text.startsWith("RIFF") && text.slice(8) === "WAVE") return "audio/wav";
  if (text.slice(4, 8) === "ftyp") return "video/mp4";
  if (text.startsWith("ID3") || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  return "application/octet-stream";
}

function toUploadedFile(row: Record<string, unknown>, response: APIResponse): UploadedFile {
  const fileId = row.file_id ?? row.id;
  if ((typeof fileId !== "string" && typeof fileId !== "number") || typeof row.url !== "string") {
    throw invalidResponse(response, "a file with file_id and url");
  }
  const created = row.created_at;
  const createdAt = typeof created === "number" ? new Date(created < 1e11 ? created * 1000 : created) : typeof created === "string" ? new Date(created) : undefined;
  return {
    fileId: String(fileId),
    url: row.url,
    type: typeof row.type === "string" ? row.type : undefined,
    filename: typeof row.filename === "string" ? row.filename : undefined,
    size: typeof row.size === "number" ? row.size : undefined,
    createdAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : undefined,
    data: row,
  };
}
