import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { DownloadOptions } from "../core/task-data.js";
import { ModellixError } from "../core/errors.js";
import { abortErrorFrom } from "../core/sleep.js";
import type { Resource } from "../core/task-data.js";

/** A file written to disk. */
export interface SavedFile {
  /** Its absolute path. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
}

/**
 * Streams a generated file to `path` (parent folders are created). The file
 * appears only when complete: it is written to a temporary file beside it,
 * then renamed, so a failed or aborted download leaves `path` untouched and no
 * temporary file. Past the 24 h retention it fails with `TaskExpiredError`;
 * above `maxBytes` with `InvalidResponseError`; when `signal` aborts with
 * `UserAbortError`, when the file stops arriving for `timeout` ms with
 * `RequestTimeoutError`, when its connection drops with `ConnectionError`.
 */
export async function saveTo(resource: Resource, path: string, options: DownloadOptions = {}): Promise<SavedFile> {
  if (typeof resource?.stream !== "function") {
    throw new ModellixError("This resource has no download methods (it went through JSON?): read it again with client.tasks.retrieve(id).status().");
  }
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID()}.part`);
  let bytes = 0;
  try {
    await mkdir(dirname(target), { recursive: true });
    const body = await resource.stream({
      ...options,
      onProgress: (progress) => {
        bytes = progress.bytes;
        options.onProgress?.(progress);
      },
    });
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), createWriteStream(temp, { flags: "wx" }));
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof ModellixError) throw error;
    if (options.signal?.aborted) throw abortErrorFrom(options.signal);
    throw new ModellixError(`Could not save ${target}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { path: target, bytes };
}
