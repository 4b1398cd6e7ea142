/** How far one file download has got. */
export interface DownloadProgress {
  /** Bytes received so far. */
  bytes: number;
  /** The file's size from `Content-Length`, when the server sent it. */
  total: number | undefined;
}

/** Options of a result file download. */
export interface DownloadOptions {
  /** Stops the download, the reading of its body included (rejects with `UserAbortError`). */
  signal?: AbortSignal | undefined;
  /**
   * In ms: how long to wait for the file's response headers (default: the
   * client's `timeout`), then for each next bytes of its body (default 30000).
   * A body that stalls that long fails with `RequestTimeoutError`; a slow one that
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

/**
 * Where a task is in its life: `pending` → `processing` → `success`, `failed`
 * or `canceled`. A status the SDK does not know ends the task as `failed`;
 * `rawStatus` keeps what the API said.
 */
export type TaskStatus = "pending" | "processing" | "success" | "failed" | "canceled";

/**
 * One generated file. Extra fields the API adds are kept. Its download methods
 * (`arrayBuffer()`, `blob()`, `stream()`) are not enumerable: JSON stays plain data.
 */
export interface Resource extends ResourceFile {
  /** Where to download it (kept until `expiresAt`, about 7 days). */
  url: string;
  /** `"image"`, `"video"`, `"audio"`, ... */
  type: string;
  width?: number | undefined;
  height?: number | undefined;
  /** File format, e.g. `"png"`, `"mp4"`. */
  format?: string | undefined;
  role?: string | undefined;
  [field: string]: unknown;
}

/** Why a task failed, as the API reported it. */
export interface TaskErrorInfo {
  category: string | undefined;
  detail: string;
  code: string | undefined;
}

/** One reading of a task. */
export interface TaskSnapshot {
  /** Task id. */
  id: string;
  status: TaskStatus;
  /** The status exactly as the API wrote it (e.g. `"succeeded"`, read as `success`). */
  rawStatus: string;
  /** Model id the API reports, when it does. */
  model: string | undefined;
  /** Generated files (on success). */
  resources: Resource[];
  /** Why it failed (on failure). */
  error: TaskErrorInfo | undefined;
  /** When the results expire (`result_expires_at`), when the API says. */
  expiresAt: Date | undefined;
  /** How long the task ran at the server, in ms (`result.extensions.submit_time` to `end_time`), when it reports both. */
  runTimeMs: number | undefined;
  /** The task's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** True for the ends of a task: `success`, `failed` and `canceled`. */
export function isTerminal(status: TaskStatus): boolean {
  return status === "success" || status === "failed" || status === "canceled";
}

/** Options of `Task.wait()`. */
export interface WaitOptions {
  /** Give up after this many ms with a `WaitTimeoutError` (the task keeps running); `Infinity` waits for good. Default: 3 minutes for image types, 10 for the others (client option `waitTimeouts`). */
  timeout?: number | undefined;
  /** Stop waiting: rejects with `UserAbortError`, which names the task (`taskId`, `task`). */
  signal?: AbortSignal | undefined;
  /** Called with each new status (pending → processing → success). If it throws, this wait rejects with that error; the task and other waits go on. */
  onProgress?: ((snapshot: TaskSnapshot) => void) | undefined;
}

/** The finished task's output. */
export interface TaskResult {
  /** Task id (the same name as `Task.id` and `TaskSnapshot.id`). */
  id: string;
  /** Model slug (as submitted or retrieved, else as the API reports it). */
  model: string | undefined;
  /** The generated files (images, videos, audio). */
  resources: Resource[];
  /** When the files expire (`result_expires_at`); download them before. */
  expiresAt: Date | undefined;
  /** The task's raw `data`. */
  data: Record<string, unknown>;
}

/** What an error knows of the task it is about: its id, and a way to read it or keep waiting. */
export interface TaskHandle {
  /** The task id. */
  readonly id: string;
  /** Reads the task's current status once. */
  status(): Promise<TaskSnapshot>;
  /** Waits for the task's result. */
  wait(options?: WaitOptions): Promise<TaskResult>;
}
