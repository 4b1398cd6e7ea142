/**
 * The SDK's errors as the AI SDK's `APICallError`, with the one thing the AI
 * SDK decides by: `isRetryable`. The AI SDK retries a call whose error says
 * `isRetryable: true` by running the model method again, and for `doGenerate`
 * that is a second paid submit. So only a failure that surely created no task,
 * and may pass (a 429, a 5xx or a lost connection before the submit went out,
 * a failed read of a task), says `true`; a submit whose outcome is unknown and
 * anything after a task exists say `false`, and name the task.
 */
import { APICallError } from "@ai-sdk/provider";
import {
  APIError,
  UserAbortError,
  ConnectionError,
  ModellixError,
  RateLimitError,
  SubmitOutcomeUnknownError,
  RequestTimeoutError,
  ValidationError,
} from "../index.js";

/** Where a failure happened. */
export interface FailureContext {
  /** The URL of the request the failure is about (the submit, or the task). */
  url: string;
  /** The submit body, when there is one. */
  body?: unknown;
  /** The model's slug. */
  model: string;
  /** The task, once one exists. */
  taskId?: string | undefined;
  /** Calling the model method again cannot create a second paid task (no task exists yet, or it only reads one). */
  repeatable: boolean;
}

/** A failure that may pass on its own: rate limits, server errors, timeouts, lost connections. */
function isTransient(error: ModellixError): boolean {
  if (error instanceof APIError) return error instanceof RateLimitError || error.status >= 500;
  return error instanceof ConnectionError || error instanceof RequestTimeoutError;
}

/** The response body of an API error as text, as `APICallError.responseBody` holds it. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === "string" ? body : JSON.stringify(body);
}

/**
 * The AI SDK's error for an error of a call. `ValidationError` (nothing was
 * sent), `UserAbortError` (the AI SDK stops at once on it) and errors that are not
 * the SDK's stay as they are; every other `ModellixError` becomes an
 * `APICallError` with `statusCode`, `responseBody`, `data.taskId` and the
 * original as `cause`.
 */
export function toProviderError(error: unknown, context: FailureContext): unknown {
  if (!(error instanceof ModellixError) || error instanceof ValidationError || error instanceof UserAbortError) return error;
  const taskId = context.taskId ?? error.taskId;
  const status = error instanceof APIError || error instanceof SubmitOutcomeUnknownError ? error.status : undefined;
  const resume = taskId !== undefined && !error.message.includes(taskId);
  return new APICallError({
    message: resume
      ? `${error.message} (task ${taskId} exists and was not submitted again: follow it with client.tasks.retrieve(${JSON.stringify(taskId)}).wait())`
      : error.message,
    url: context.url,
    requestBodyValues: context.body,
    statusCode: status,
    responseHeaders: error instanceof APIError ? error.headers : undefined,
    responseBody: error instanceof APIError ? bodyText(error.body) : undefined,
    cause: error,
    isRetryable: context.repeatable && isTransient(error),
    data: { provider: "modellix", error: error.name, model: context.model, ...(taskId === undefined ? {} : { taskId }) },
  });
}
