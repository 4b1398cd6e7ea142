/** Result files: the download methods of a task's resources, and reading a file's body within the caller's limits. */
import { ConnectionError, InvalidResponseError, ModellixError, RequestTimeoutError } from "./errors.js";
import { maxTimerMs } from "./http.js";
import { limitedBody } from "./limited-body.js";
import { errorCode } from "./network-errors.js";
import { abortErrorFrom } from "./sleep.js";
import type { DownloadOptions, DownloadProgress, ResourceFile } from "./task-data.js";
import type { RequestOptions } from "./transport.js";

/** Fetches a file URL of a task: an ok response, or a typed error (`TaskExpiredError` past the retention). */
export type OpenFile = (url: string, options: RequestOptions) => Promise<Response>;

/** The default `maxBytes` of a download: 1 GiB. */
const defaultMaxDownloadBytes = 1024 ** 3;

/** The default time a download's body may go without a byte, in ms. */
const defaultDownloadIdleMs = 30_000;

/** Adds the {@link ResourceFile} methods to `resource`, non-enumerable. */
export function attachDownloads<T extends { url: string }>(resource: T, open: OpenFile): T & ResourceFile {
  for (const kind of ["stream", "arrayBuffer", "blob"] as const) {
    const value = (options: DownloadOptions = {}) => readFile(kind, resource.url, open, options);
    Object.defineProperty(resource, kind, { value, enumerable: false, writable: true, configurable: true });
  }
  return resource as T & ResourceFile;
}

/** What each {@link ResourceFile} method resolves with. */
type FileReads = { [K in keyof ResourceFile]: Awaited<ReturnType<ResourceFile[K]>> };

/** One {@link ResourceFile} method: fetches the file at `url` with `open` and reads its body as `kind`. */
async function readFile<K extends keyof ResourceFile>(kind: K, url: string, open: OpenFile, options: DownloadOptions): Promise<FileReads[K]> {
  const response = await open(url, { signal: options.signal, timeout: options.timeout });
  const body = downloadBody(response, options);
  if (kind === "stream") return body as FileReads[K];
  const headers = { "content-type": response.headers.get("content-type") ?? "" };
  return (await (kind === "blob" ? new Response(body, { headers }).blob() : new Response(body).arrayBuffer())) as FileReads[K];
}

/**
 * The body of a file's response, bounded by `maxBytes`, by the caller's signal
 * and by `timeout` without a byte. Every failure of the download is one of the
 * SDK's errors (an `onProgress` that throws fails it with its own error), and
 * on any of them the response is cancelled, which closes its connection.
 */
function downloadBody(response: Response, { maxBytes = defaultMaxDownloadBytes, onProgress, signal, timeout }: DownloadOptions): ReadableStream<Uint8Array> {
  const tooLarge = () =>
    new InvalidResponseError({ status: response.status, message: `Invalid Response: the file is larger than maxBytes (${maxBytes})` });
  let callbackFailed = false;
  const report = onProgress && ((progress: DownloadProgress) => {
    try {
      onProgress(progress);
    } catch (error) {
      callbackFailed = true;
      throw error;
    }
  });
  const reader = limitedBody(response, { maxBytes, tooLarge, onProgress: report }).getReader();
  const idleMs = timeout ?? defaultDownloadIdleMs;
  let out: ReadableStreamDefaultController<Uint8Array>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const end = () => {
    if (ended) return false;
    ended = true;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    return true;
  };
  const fail = (error: unknown) => {
    if (!end()) return;
    out.error(error);
    void reader.cancel(error).catch(() => undefined);
  };
  const onAbort = () => fail(abortErrorFrom(signal));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      // Timed only while a read waits for the server: a consumer that reads slowly is not a stalled server.
      if (Number.isFinite(idleMs)) timer = setTimeout(() => fail(new RequestTimeoutError(idleMs)), Math.min(idleMs, maxTimerMs));
      try {
        const { done, value } = await reader.read();
        if (ended) return;
        clearTimeout(timer);
        if (!done) return controller.enqueue(value);
        end();
        controller.close();
      } catch (error) {
        fail(callbackFailed ? error : bodyError(error, signal));
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

/** Why a body read failed, as one of the SDK's errors: the signal, our own limits, else a lost connection. */
function bodyError(error: unknown, signal: AbortSignal | undefined): ModellixError {
  if (signal?.aborted) return abortErrorFrom(signal);
  if (error instanceof ModellixError) return error;
  const code = errorCode(error);
  return new ConnectionError(`The connection was lost while downloading the file${code ? ` (${code})` : ""}. Try again.`, {
    requestSent: true,
    code,
    cause: error,
  });
}
