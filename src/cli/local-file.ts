import { openLocalFile as openFile } from "../models/local-file.js";
import { isMediaURL } from "../models/media-value.js";
import { UsageError } from "./exit-codes.js";

/** A local file, as a `File` read lazily from disk, typed by its extension: what `client.files.upload()` and a submit's media fields take. */
export async function openLocalFile(path: string, label: string): Promise<File> {
  const opened = await openFile(path);
  if ("file" in opened) return opened.file;
  throw new UsageError(`${label}: ${JSON.stringify(path)}: ${opened.problem} (give an https URL or a local file path)`);
}

/** A media value from the command line: a URL as it is, a local path as its file (the SDK uploads it and sends its URL). */
export function mediaValue(value: string, label: string): Promise<string | File> {
  return isMediaURL(value) ? Promise.resolve(value) : openLocalFile(value, label);
}
