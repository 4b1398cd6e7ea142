import { NotFoundError, TaskExpiredError } from "./errors.js";

/** How long the API keeps a task and its files. */
export const retentionMs = 24 * 60 * 60 * 1000;

/**
 * Turns a 404 about a task (its status or one of its files) into a
 * {@link TaskExpiredError} when the task is known to be over 24 hours old or
 * the API says it expired; any other error is returned as it is.
 */
export function explainExpiry(error: unknown, taskId: string, createdAt: Date | undefined): unknown {
  if (!(error instanceof NotFoundError) || error instanceof TaskExpiredError) return error;
  const old = createdAt !== undefined && Date.now() - createdAt.getTime() >= retentionMs;
  if (!old && !/expired/i.test(error.detail)) return error;
  return new TaskExpiredError({
    status: error.status,
    message: `${error.category ?? "Not Found"}: ${error.detail}`,
    requestId: error.requestId,
    headers: error.headers,
    body: error.body,
    taskId,
  });
}
