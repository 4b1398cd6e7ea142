import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { contentTypeOf } from "../node/media-type.js";
import { UsageError } from "./exit-codes.js";

/** A local file, as a `File` read lazily from disk, typed by its extension: what `client.files.upload()` and a submit's media fields take. */
export async function openLocalFile(path: string, label: string): Promise<File> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new UsageError(`${label}: ${JSON.stringify(path)} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${label}: no such file ${JSON.stringify(path)} (give an https URL or a local file path)`);
  }
  const type = contentTypeOf(path) ?? "application/octet-stream";
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
