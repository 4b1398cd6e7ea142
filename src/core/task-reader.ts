/**
 * Reads a task's answer (`GET /tasks/{id}`) into a {@link TaskSnapshot}. Loaded
 * once a task exists (see `loadTaskReader`), so a browser does not fetch it
 * before its first submit.
 */
import { type OpenFile, attachDownloads } from "./download.js";
import { isRecord } from "./envelope.js";
import { InvalidResponseError, parseErrorMessage } from "./errors.js";
import type { Resource, TaskErrorInfo, TaskSnapshot, TaskStatus } from "./task-data.js";
import { parseApiTime } from "./time.js";

/** The most resources one task may report before the answer is treated as broken. */
const maxResources = 1000;

/** Statuses of a task still on its way, and the API's spellings of the two ends. */
const statusAliases: Readonly<Record<string, TaskStatus>> = {
  pending: "pending",
  queued: "pending",
  submitted: "pending",
  created: "pending",
  waiting: "pending",
  processing: "processing",
  running: "processing",
  in_progress: "processing",
  starting: "processing",
  success: "success",
  succeeded: "success",
  completed: "success",
  failed: "failed",
  failure: "failed",
  error: "failed",
  canceled: "canceled",
  cancelled: "canceled",
};

/**
 * Reads a task's `data` liberally: unknown fields are kept; a status the SDK
 * does not know (`expired`, ...) ends the task as `failed`, so no
 * wait hangs on it. Resources download their files with `openFile`.
 */
export function parseTaskData(data: unknown, taskId: string, openFile: OpenFile): TaskSnapshot {
  if (!isRecord(data)) throw invalid(`the task ${taskId} answer has no data object`);
  const rawStatus = typeof data.status === "string" ? data.status : "";
  const key = rawStatus.toLowerCase();
  if (key === "") throw invalid(`the task ${taskId} answer has no status`);
  const known = Object.hasOwn(statusAliases, key);
  const status = known ? (statusAliases[key] as TaskStatus) : "failed";
  const model = typeof data.model_id === "string" ? data.model_id : typeof data.model === "string" ? data.model : undefined;
  return {
    id: typeof data.task_id === "string" && data.task_id ? data.task_id : taskId,
    status,
    rawStatus,
    model,
    resources: status === "success" ? parseResources(data, openFile) : [],
    error: status === "failed" || status === "canceled" ? parseTaskError(data, status, known ? undefined : rawStatus) : undefined,
    expiresAt: parseApiTime(data.result_expires_at),
    runTimeMs: runTimeOf(data),
    data,
  };
}

/** The time from `result.extensions.submit_time` to `end_time`, in ms, when both are readable times in order. */
function runTimeOf(data: Record<string, unknown>): number | undefined {
  const extensions = isRecord(data.result) && isRecord(data.result.extensions) ? data.result.extensions : {};
  const [start, end] = [parseApiTime(extensions.submit_time), parseApiTime(extensions.end_time)];
  return start && end && end >= start ? end.getTime() - start.getTime() : undefined;
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

/** Why a task failed, from whatever it carries (`error` object or string, `message`, `error_message`, codes); an unknown end status says so. */
function parseTaskError(data: Record<string, unknown>, status: TaskStatus, unknownStatus: string | undefined): TaskErrorInfo {
  const error = isRecord(data.error) ? data.error : {};
  const message = [error.message, error.detail, data.message, data.error_message, data.error, data.reason].find(
    (value) => typeof value === "string" && value !== "",
  ) as string | undefined;
  const fallback = unknownStatus
    ? `Unknown Status: the task ended with status "${unknownStatus}"`
    : status === "canceled"
      ? "The task was canceled"
      : "The task failed without a reason";
  const parsed = parseErrorMessage(message ?? fallback);
  const code = error.code ?? data.error_code ?? data.code;
  return {
    category: typeof error.category === "string" ? error.category : parsed.category,
    detail: parsed.detail,
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
