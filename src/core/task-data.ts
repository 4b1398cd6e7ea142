import { type OpenFile, type ResourceFile, attachDownloads } from "./download.js";
import { InvalidResponseError, parseErrorMessage } from "./errors.js";
import { isRecord } from "./envelope.js";

/** Where a task is in its life. */
export type TaskStatus = "pending" | "processing" | "success" | "failed";

/**
 * One generated file. Extra fields the API adds are kept. Its download methods
 * (`arrayBuffer()`, `blob()`, `stream()`) are not enumerable: JSON stays plain data.
 */
export interface Resource extends ResourceFile {
  /** Where to download it (kept 24 hours). */
  url: string;
  /** `"image"`, `"video"`, ... */
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
  /** Model id the API reports, when it does. */
  model: string | undefined;
  /** Generated files (on success). */
  resources: Resource[];
  /** Why it failed (on failure). */
  error: TaskErrorInfo | undefined;
  /** The task's raw `data`, with every field the API sent. */
  data: Record<string, unknown>;
}

/** The most resources one task may report before the answer is treated as broken. */
export const maxResources = 1000;

const statusAliases: Record<string, TaskStatus> = {
  pending: "pending",
  queued: "pending",
  submitted: "pending",
  processing: "processing",
  running: "processing",
  in_progress: "processing",
  success: "success",
  succeeded: "success",
  completed: "success",
  failed: "failed",
  failure: "failed",
  error: "failed",
  cancelled: "failed",
  canceled: "failed",
};

/** True for `success` and `failed`. */
export function isTerminal(status: TaskStatus): boolean {
  return status === "success" || status === "failed";
}

/**
 * Reads a task's `data` liberally: unknown statuses count as `processing`, unknown
 * fields are kept. Resources download their files with `openFile`.
 */
export function parseTaskData(data: unknown, taskId: string, openFile: OpenFile): TaskSnapshot {
  if (!isRecord(data)) throw invalid(`the task ${taskId} answer has no data object`);
  const rawStatus = typeof data.status === "string" ? data.status.toLowerCase() : "";
  const status = statusAliases[rawStatus] ?? "processing";
  const model = typeof data.model_id === "string" ? data.model_id : typeof data.model === "string" ? data.model : undefined;
  return {
    id: typeof data.task_id === "string" && data.task_id ? data.task_id : taskId,
    status,
    model,
    resources: status === "success" ? parseResources(data, openFile) : [],
    error: status === "failed" ? parseTaskError(data) : undefined,
    data,
  };
}

function parseResources(data: Record<string, unknown>, openFile: OpenFile): Resource[] {
  const result = isRecord(data.result) ? data.result : data;
  const list = result.resources ?? result.outputs ?? [];
  if (!Array.isArray(list)) throw invalid("result.resources is not an array");
  if (list.length > maxResources) throw invalid(`the task reports ${list.length} resources (more than ${maxResources})`);
  return list.map((item, index) => {
    const entry = typeof item === "string" ? { url: item } : item;
    if (!isRecord(entry) || typeof entry.url !== "string" || !isHttpUrl(entry.url)) {
      throw invalid(`result.resources[${index}] has no http(s) url`);
    }
    return attachDownloads({ ...entry, url: entry.url, type: typeof entry.type === "string" ? entry.type : "file" }, openFile) as Resource;
  });
}

function parseTaskError(data: Record<string, unknown>): TaskErrorInfo {
  const error = isRecord(data.error) ? data.error : {};
  const message = [error.message, data.message, data.error_message, data.error].find((value) => typeof value === "string") as
    | string
    | undefined;
  const parsed = parseErrorMessage(message ?? "The task failed without a reason");
  const code = error.code ?? data.error_code;
  return {
    category: typeof error.category === "string" ? error.category : parsed.category,
    detail: typeof error.detail === "string" ? error.detail : parsed.detail,
    code: typeof code === "string" || typeof code === "number" ? String(code) : undefined,
  };
}

/** An absolute http(s) URL that parses (so a download cannot be pointed at `file:`, `javascript:` or a malformed address). */
function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function invalid(detail: string): InvalidResponseError {
  return new InvalidResponseError({ status: 200, message: `Invalid Response: ${detail}` });
}
