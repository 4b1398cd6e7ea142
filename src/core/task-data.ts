import type { ResourceFile } from "./download.js";

/** Where a task is in its life. A status the SDK does not know ends the task as `failed`; `rawStatus` keeps what the API said. */
export type TaskStatus = "pending" | "processing" | "success" | "failed";

/**
 * One generated file. Extra fields the API adds are kept. Its download methods
 * (`arrayBuffer()`, `blob()`, `stream()`) are not enumerable: JSON stays plain data.
 */
export interface Resource extends ResourceFile {
  /** Where to download it (kept 24 hours). */
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
  /** The status exactly as the API wrote it (e.g. `"canceled"`, read as `failed`). */
  rawStatus: string;
  /** Model id the API reports, when it does. */
  model: string | undefined;
  /** Generated files (on success). */
  resources: Resource[];
  /** Why it failed (on failure). */
  error: TaskErrorInfo | undefined;
  /** When the results expire (`result_expires_at`), when the API says. */
  expiresAt: Date | undefined;
  /** The task's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** True for `success` and `failed`. */
export function isTerminal(status: TaskStatus): boolean {
  return status === "success" || status === "failed";
}
