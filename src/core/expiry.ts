import { NotFoundError, TaskExpiredError } from "./errors.js";

/** How long the API keeps a task and its files when it does not say (`result_expires_at`): 7 days. */
export const retentionMs = 7 * 24 * 60 * 60 * 1000;

/** What is known of a task's age. */
export interface TaskAge {
  createdAt?: Date | undefined;
  /** `result_expires_at` of its latest reading. */
  expiresAt?: Date | undefined;
}

/**
 * Turns a 404 about a task (its status or one of its files) into a
 * {@link TaskExpiredError} when the task is past its `result_expires_at`, or,
 * without one, over 7 days old, or when the API says it expired; any other
 * error is returned as it is.
 */
export function explainExpiry(error: unknown, taskId: string, age: TaskAge): unknown {
  if (!(error instanceof NotFoundError) || error instanceof TaskExpiredError) return error;
  const now = Date.now();
  const expiresAt = age.expiresAt ?? (age.createdAt && new Date(age.createdAt.getTime() + retentionMs));
  const past = expiresAt !== undefined && now >= expiresAt.getTime();
  if (!past && !/expired/i.test(error.detail)) return error;
  return new TaskExpiredError({
    status: error.status,
    message: `${error.category ?? "Not Found"}: ${error.detail}`,
    requestId: error.requestId,
    headers: error.headers,
    body: error.body,
    taskId,
    expiresAt: age.expiresAt,
  });
}
