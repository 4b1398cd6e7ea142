import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { UsageError } from "./exit-codes.js";

const contentTypes: Readonly<Record<string, string>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".mp4": "video/mp4",
  ".mov": "video/quicktime",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".m4a": "audio/mp4",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
};

/** A local file, as a `File` read lazily from disk, typed by its extension: what `client.files.upload()` and a submit's media fields take. */
export async function openLocalFile(path: string, label: string): Promise<File> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new UsageError(`${label}: ${JSON.stringify(path)} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${label}: no such file ${JSON.stringify(path)} (give an https URL or a local file path)`);
  }
  const type = contentTypes[extname(path).toLowerCase()] ?? "application/octet-stream";
  return new File([await openAsBlob(path, { type })], basename(path), { type });
}

/** True for a value that names a remote resource (`https://...`, `http://...`, `data:...`) rather than a local file. */
export function isRemote(value: string): boolean {
  return /^(?:https?:|data:)/i.test(value);
}

/** A media value from the command line: a URL as it is, a local path as its file (the SDK uploads it and sends its URL). */
export function mediaValue(value: string, label: string): Promise<string | File> {
  return isRemote(value) ? Promise.resolve(value) : openLocalFile(value, label);
}
