import type { TaskHandle } from "./task-data.js";

/**
 * The error hierarchy. Every error the SDK throws is an instance of
 * {@link ModellixError}; messages are one line, say what to do next and never
 * contain the API key. Their fields are `declare`d: each constructor sets
 * them itself, in the order they are declared, so they are not defined twice.
 */

/** A parsed `"Category: detail"` message, as the API writes its errors. */
export interface ErrorMessageParts {
  category: string | undefined;
  detail: string;
}

/** Splits `"Bad Request: Missing required parameter: prompt"` into category and detail. */
export function parseErrorMessage(message: string): ErrorMessageParts {
  const match = /^([A-Z][A-Za-z ]{1,40}):\s*(.*)$/s.exec(message.trim());
  if (!match) return { category: undefined, detail: message.trim() };
  return { category: match[1], detail: match[2] ?? "" };
}

/** Base class of every error thrown by the SDK. */
export class ModellixError extends Error {
  /** The task this error is about, when one exists (set on every error raised after a task was created). */
  declare readonly taskId?: string;
  /** The task handle, when one exists: keep waiting on it or store its id (not enumerable). */
  declare readonly task?: TaskHandle;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    if (options && "cause" in options) {
      Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, writable: true, configurable: true });
    }
  }

  /** A plain, key-free description of the error, for logs and JSON output. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && typeof value !== "function") out[key] = value;
    }
    return out;
  }
}

/**
 * Marks an error raised after a task exists with that task: `taskId`
 * (enumerable, for logs) and `task` (hidden), where it does not name them yet.
 * Returns the error.
 */
export function withTask<E>(error: E, task: TaskHandle): E {
  if (!(error instanceof ModellixError)) return error;
  if (error.taskId === undefined) Object.defineProperty(error, "taskId", { value: task.id, enumerable: true, writable: false, configurable: true });
  if (error.task === undefined) hidden(error, "task", task);
  return error;
}

/** Rate-limit figures read from the `X-RateLimit-*` and `Retry-After` headers. */
export interface RateLimitInfo {
  /** Requests allowed per window (`X-RateLimit-Limit`). */
  limit: number | undefined;
  /** Requests left in the window (`X-RateLimit-Remaining`). */
  remaining: number | undefined;
  /** When the window resets (`X-RateLimit-Reset`, Unix seconds), as a Date. */
  resetAt: Date | undefined;
  /** How long the server asked to wait (`Retry-After`), in ms. */
  retryAfterMs: number | undefined;
}

/** What an {@link APIError} is built from. */
export interface APIErrorInit {
  status: number;
  message: string;
  requestId?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
  rateLimit?: RateLimitInfo | undefined;
}

/** The API answered with an error status (or an envelope whose `code` is not 0). */
export class APIError extends ModellixError {
  /** HTTP status (or the envelope code where the HTTP status was 2xx). */
  declare readonly status: number;
  /** The category part of the API's `"Category: detail"` message, e.g. `"Bad Request"`. */
  declare readonly category: string | undefined;
  /** The detail part of the API's message. */
  declare readonly detail: string;
  /** The `X-Request-Id` of the response, for support requests. */
  declare readonly requestId: string | undefined;
  /** Response headers (lower-case names). */
  declare readonly headers: Record<string, string>;
  /** The parsed response body, as received. */
  declare readonly body: unknown;

  constructor(init: APIErrorInit) {
    const { category, detail } = parseErrorMessage(init.message);
    super(`${init.status} ${init.message}${init.requestId ? ` (request ${init.requestId})` : ""}`);
    this.status = init.status;
    this.category = category;
    this.detail = detail;
    this.requestId = init.requestId;
    hidden(this, "headers", init.headers ?? {});
    hidden(this, "body", init.body);
  }
}

/** 400: the parameters were rejected. Fix the input; retrying will not help. */
export class BadRequestError extends APIError {}
/** 401: the API key is missing, wrong, or not sent as `Bearer`. */
export class AuthenticationError extends APIError {}
/** 402: the team's balance is exhausted. Top up, then submit again. */
export class InsufficientBalanceError extends APIError {}
/** 403: the key may not use this model or endpoint. */
export class PermissionDeniedError extends APIError {}
/** 404: unknown task, model or path. */
export class NotFoundError extends APIError {}
/** 404 for a task past its retention (`result_expires_at`, else 24 hours): its results are gone. */
export class TaskExpiredError extends NotFoundError {
  /** The expired task's id. */
  declare readonly taskId: string;
  /** When its results expired, when known. */
  declare readonly expiresAt: Date | undefined;
  constructor(init: APIErrorInit & { taskId: string; expiresAt?: Date | undefined }) {
    super(init);
    this.expiresAt = init.expiresAt;
    Object.defineProperty(this, "taskId", { value: init.taskId, enumerable: true, writable: false, configurable: true });
    const when = init.expiresAt ? `its results expired at ${init.expiresAt.toISOString()}` : "results are kept 24 hours";
    this.message = `Task ${init.taskId} has expired: ${when}. Submit it again.`;
  }
}

/** 429: rate limited, or the team's concurrent-task quota is full. */
export class RateLimitError extends APIError {
  /** How long the server asked to wait, in ms. */
  declare readonly retryAfterMs: number | undefined;
  /** `X-RateLimit-Limit`. */
  declare readonly limit: number | undefined;
  /** `X-RateLimit-Remaining`. */
  declare readonly remaining: number | undefined;
  /** `X-RateLimit-Reset` as a Date. */
  declare readonly resetAt: Date | undefined;
  constructor(init: APIErrorInit) {
    super(init);
    this.retryAfterMs = init.rateLimit?.retryAfterMs;
    this.limit = init.rateLimit?.limit;
    this.remaining = init.rateLimit?.remaining;
    this.resetAt = init.rateLimit?.resetAt;
  }
}

/** 5xx: the server failed or is unavailable. */
export class InternalServerError extends APIError {}

/** A 2xx answer whose body is not the JSON envelope the API promises (truncated, malformed, too large). */
export class InvalidResponseError extends APIError {}

/** The request never got an HTTP answer (DNS, refused, reset, CORS). */
export class ConnectionError extends ModellixError {
  /** False when the failure happened before any byte was sent, so nothing can have been created. */
  declare readonly requestSent: boolean;
  /** The low-level error code, e.g. `ECONNREFUSED`, when known. */
  declare readonly code: string | undefined;
  constructor(message: string, options: { requestSent: boolean; code?: string | undefined; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.requestSent = options.requestSent;
    this.code = options.code;
  }
}

/** The request got no answer within the configured `timeout`. */
export class RequestTimeoutError extends ModellixError {
  /** The timeout that elapsed, in ms. */
  declare readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`The request timed out after ${timeoutMs} ms. Raise the \`timeout\` option or try again.`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. */
export class UserAbortError extends ModellixError {
  constructor(message = "The operation was aborted by its AbortSignal.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One problem found in an input. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `"size"` or `"items.3.prompt"`. */
  path: string;
  /** What is wrong and what is expected. */
  message: string;
}

/** The input was rejected before any request was sent (nothing was paid for). */
export class ValidationError extends ModellixError {
  /** Every problem found, one per field. */
  declare readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], subject = "input") {
    const list = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
    super(`Invalid ${subject}: ${list}`);
    this.issues = issues;
  }
}

/** Why a submit's outcome is unknown. */
export type SubmitOutcomeReason =
  | "server_error"
  | "timeout"
  | "connection_lost"
  | "unreadable_response"
  | "aborted"
  | "redirected"
  /** A journaled batch stopped after recording the submit's intent, before its answer was recorded. */
  | "interrupted";

/**
 * A paid submit may or may not have created a task: the request was sent but
 * no trustworthy answer came back. The SDK did not send it again, so at most
 * one task exists. The API cannot list tasks, so look for it in the Modellix
 * console before submitting again. A batch with a journal records such a
 * submit, and a rerun reports it instead of sending it again (until
 * `resubmitUnknown: true`, CLI `--resubmit-unknown`, sends it anyway).
 */
export class SubmitOutcomeUnknownError extends ModellixError {
  /** Why the outcome is unknown. */
  declare readonly reason: SubmitOutcomeReason;
  /** The attempt (1-based) whose outcome is unknown. */
  declare readonly attempt: number;
  /** The namespace or type it was submitted through, e.g. `"t2i"`. */
  declare readonly type: string;
  /** The model slug that was submitted. */
  declare readonly model: string;
  /** When the uncertain request was sent (ISO 8601). */
  declare readonly sentAt: string;
  /** HTTP status of the answer, when there was one. */
  declare readonly status: number | undefined;
  /** `X-Request-Id` of the answer, when there was one. */
  declare readonly requestId: string | undefined;
  constructor(init: {
    reason: SubmitOutcomeReason;
    attempt: number;
    type: string;
    model: string;
    sentAt: Date;
    status?: number | undefined;
    requestId?: string | undefined;
    cause?: unknown;
  }) {
    super(
      `The outcome of submit attempt ${init.attempt} for ${init.model} is unknown (${init.reason.replace("_", " ")}${init.status ? `, HTTP ${init.status}` : ""}); ` +
        "it was not sent again, so at most one task exists. Look for it in the Modellix console before sending it again; " +
        "a batch with a journal reports it on a rerun rather than resend it (resubmitUnknown: true resends it, at the risk of a second task).",
      { cause: init.cause },
    );
    this.reason = init.reason;
    this.attempt = init.attempt;
    this.type = init.type;
    this.model = init.model;
    this.sentAt = init.sentAt.toISOString();
    this.status = init.status;
    this.requestId = init.requestId;
  }
}

/** The task ended without a result: status `failed`, or `canceled` (see {@link TaskFailedError.status}). */
export class TaskFailedError extends ModellixError {
  /** The failed task's id. */
  declare readonly taskId: string;
  /** How the task ended: `"failed"`, or `"canceled"` when it was canceled before it finished. */
  declare readonly status: "failed" | "canceled";
  /** Error category reported for the task, e.g. `"Content Policy"`. */
  declare readonly category: string | undefined;
  /** Error detail reported for the task. */
  declare readonly detail: string;
  /** Provider error code, when the task data carries one. */
  declare readonly code: string | undefined;
  constructor(init: { taskId: string; status?: "failed" | "canceled"; category: string | undefined; detail: string; code?: string | undefined }) {
    const ended = init.status === "canceled" ? "was canceled" : "failed";
    super(`Task ${init.taskId} ${ended}: ${init.category ? `${init.category}: ` : ""}${init.detail}`);
    this.status = init.status ?? "failed";
    this.category = init.category;
    this.detail = init.detail;
    this.code = init.code;
    Object.defineProperty(this, "taskId", { value: init.taskId, enumerable: true, writable: false, configurable: true });
  }
}

/** `wait()` gave up before the task ended. The task keeps running: call `error.task.wait()` to keep waiting. */
export class WaitTimeoutError extends ModellixError {
  /** The task that was being waited for: `await error.task.wait()` keeps waiting. */
  declare readonly task: TaskHandle;
  /** The task id. */
  declare readonly taskId: string;
  /** The timeout that elapsed, in ms. */
  declare readonly timeoutMs: number;
  constructor(init: { task: TaskHandle; timeoutMs: number }) {
    super(`Task ${init.task.id} did not finish within ${init.timeoutMs} ms; it is still running. Call error.task.wait() to keep waiting.`);
    this.timeoutMs = init.timeoutMs;
    withTask(this, init.task);
  }
}

/** Defines a readable, non-enumerable property (kept out of logs and JSON). */
function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: true });
}

/** The {@link APIError} subclass of each HTTP status that has one (5xx: {@link InternalServerError}). */
const errorClasses: Readonly<Record<number, typeof APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientBalanceError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: RateLimitError,
};

/** Builds the {@link APIError} subclass that fits an HTTP status. */
export function errorForStatus(init: APIErrorInit): APIError {
  const ErrorClass = errorClasses[init.status] ?? (init.status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(init);
}
