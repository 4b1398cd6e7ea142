import type { RequestOptions } from "./transport.js";

/** How far one file download has got. */
export interface DownloadProgress {
  /** Bytes received so far. */
  bytes: number;
  /** The file's size from `Content-Length`, when the server sent it. */
  total: number | undefined;
}

/** Options of a result file download. */
export interface DownloadOptions {
  /** Stops the download, the reading of its body included (rejects with `AbortError`). */
  signal?: AbortSignal | undefined;
  /**
   * In ms: how long to wait for the file's response headers (default: the
   * client's `timeout`), then for each next bytes of its body (default 30000).
   * A body that stalls that long fails with `TimeoutError`; a slow one that
   * keeps sending is never cut. `Infinity`: no limit on the body.
   */
  timeout?: number | undefined;
  /** Largest file accepted, in bytes (default 1 GiB); a larger one fails with `InvalidResponseError`. */
  maxBytes?: number | undefined;
  /** Called each time bytes arrive. */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
}

/**
 * Download methods of a generated file. They use the client's `fetch`, send no
 * API key, and are non-enumerable, so `JSON.stringify(result)` stays plain data.
 */
export interface ResourceFile {
  /** The file's bytes. */
  arrayBuffer(options?: DownloadOptions): Promise<ArrayBuffer>;
  /** The file as a `Blob` typed with its `Content-Type`. */
  blob(options?: DownloadOptions): Promise<Blob>;
  /** The file as a web `ReadableStream`, to pass on without holding it in memory. */
  stream(options?: DownloadOptions): Promise<ReadableStream<Uint8Array>>;
}

/** Fetches a file URL of a task: an ok response, or a typed error (`TaskExpiredError` past the 24 h retention). */
export type OpenFile = (url: string, options: RequestOptions) => Promise<Response>;

/** The default `maxBytes` of a download: 1 GiB. */
export const defaultMaxDownloadBytes = 1024 ** 3;

/** The default time a download's body may go without a byte, in ms. */
export const defaultDownloadIdleMs = 30_000;

/** Adds the {@link ResourceFile} methods to `resource`, non-enumerable; the code behind them loads on the first download. */
export function attachDownloads<T extends { url: string }>(resource: T, open: OpenFile): T & ResourceFile {
  for (const kind of ["stream", "arrayBuffer", "blob"] as const) {
    const value = async (options: DownloadOptions = {}) => (await import("./download-body.js")).readFile(kind, resource.url, open, options);
    Object.defineProperty(resource, kind, { value, enumerable: false, writable: true, configurable: true });
  }
  return resource as T & ResourceFile;
}
