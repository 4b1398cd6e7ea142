import pRetry from "p-retry";
import { APIError, ConnectionError, InvalidResponseError, ModellixError, RateLimitError, TimeoutError } from "./errors.js";
import { parseReset, parseRetryAfter } from "./rate-limit.js";
import { abortErrorFrom, sleep } from "./sleep.js";

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** First backoff delay in ms (default 1000); doubles on each retry, ±20 % jitter. */
  baseDelayMs: number;
  /** Longest backoff delay in ms (default 8000). */
  maxDelayMs: number;
  /** Longest server-requested wait (`Retry-After`, `X-RateLimit-Reset`) honoured, in ms (default 60000). */
  maxRetryAfterMs: number;
  /** Longest time one call spends retrying, in ms (default 120000). */
  maxRetryTimeMs: number;
  /**
   * How long a submit keeps retrying a "concurrent task limit" 429, in ms
   * (default 600000). Such a 429 frees only when one of the team's tasks ends,
   * so it is retried every 5–15 s without using up `maxRetries`.
   */
  quotaWaitMs: number;
}

/** Defaults: 3 retries, 1 s → 2 s → 4 s (±20 % jitter), server-requested waits up to 60 s, 2 min per call, 10 min for a full team quota. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  maxRetryTimeMs: 120_000,
  quotaWaitMs: 600_000,
};

const retryableReadStatuses = new Set([429, 500, 502, 503, 504]);
const rejectedBeforeWorkStatuses = new Set([429, 503]);

/** Safe to repeat a read (GET): 429, 5xx gateways, timeouts, dropped connections, unreadable bodies. */
export function isRetryableRead(error: unknown): boolean {
  if (error instanceof InvalidResponseError) return true;
  if (error instanceof APIError) return retryableReadStatuses.has(error.status);
  return error instanceof ConnectionError || error instanceof TimeoutError;
}

/** Safe to repeat a paid submit: the server rejected it (429, 503) or nothing was sent. */
export function isRetryableSubmit(error: unknown): boolean {
  if (error instanceof InvalidResponseError) return false;
  if (error instanceof APIError) return rejectedBeforeWorkStatuses.has(error.status);
  return error instanceof ConnectionError && !error.requestSent;
}

/** A 429 about the team's concurrent-task limit rather than the request rate: it frees only when a task ends. */
export function isConcurrencyLimit(error: unknown): boolean {
  return error instanceof RateLimitError && /concurren|task limit/i.test(`${error.category ?? ""} ${error.detail}`);
}

/**
 * The wait before retry number `retry` (1-based): the server's `Retry-After`
 * or, for a 429 with no requests left, its `X-RateLimit-Reset`, when that lies
 * in the future; else exponential backoff with ±20 % jitter (5–15 s steps for
 * a concurrent-task 429).
 */
export function retryDelay(error: unknown, retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const serverWait = error instanceof APIError ? serverRequestedWait(error) : undefined;
  if (serverWait !== undefined) return Math.min(serverWait, policy.maxRetryAfterMs);
  const jitter = 0.8 + 0.4 * random();
  if (isConcurrencyLimit(error)) return Math.round(Math.min(5000 * 1.5 ** (retry - 1), 15_000) * jitter);
  return Math.round(Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs) * jitter);
}

/**
 * `Retry-After` on any answer; `X-RateLimit-Reset` only on a 429 whose window is
 * used up (every answer carries it; a 429 with requests remaining, such as a
 * full team quota, is not about the window). A time in the past says nothing.
 */
function serverRequestedWait({ status, headers }: APIError): number | undefined {
  const now = Date.now();
  const retryAfter = parseRetryAfter(headers["retry-after"] ?? null, now);
  if (retryAfter !== undefined || status !== 429) return retryAfter;
  if (Number(headers["x-ratelimit-remaining"] ?? 0) > 0) return undefined;
  const resetAt = parseReset(headers["x-ratelimit-reset"] ?? null, now);
  return resetAt && resetAt.getTime() > now ? resetAt.getTime() - now : undefined;
}

/** What {@link withRetries} needs besides the attempt. */
export interface RetryOptions {
  policy: RetryPolicy;
  /** Whether an error may be retried (submit safety lives here). */
  retryable: (error: unknown) => boolean;
  signal?: AbortSignal | undefined;
  /** Background work nobody awaits (task polling): its waits do not keep Node alive. */
  background?: boolean | undefined;
  onRetry?: ((info: { error: unknown; attempt: number; delayMs: number }) => void) | undefined;
}

/**
 * Runs `attempt` (given its 1-based number) under p-retry until it succeeds,
 * fails with an error `retryable` refuses, or the policy's retries or time are
 * spent. p-retry owns the loop, the retry count, the time budget, the abort
 * signal and `unref`; the wait itself is ours (in `shouldRetry`), because
 * p-retry cannot express a server-requested `Retry-After` or reset time.
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, retryable, signal, background, onRetry } = options;
  const startedAt = Date.now();
  try {
    return await pRetry(attempt, {
      retries: policy.maxRetries,
      minTimeout: 0,
      maxRetryTime: Math.max(policy.maxRetryTimeMs, policy.quotaWaitMs),
      signal,
      unref: background === true,
      // A full team quota is waited out without using up the retries meant for failures.
      shouldConsumeRetry: ({ error }) => !isConcurrencyLimit(error),
      shouldRetry: async ({ error, attemptNumber }) => {
        if (!retryable(error)) return false;
        const budget = (isConcurrencyLimit(error) ? policy.quotaWaitMs : policy.maxRetryTimeMs) - (Date.now() - startedAt);
        const delayMs = retryDelay(error, attemptNumber, policy);
        if (delayMs > budget) return false;
        onRetry?.({ error, attempt: attemptNumber, delayMs });
        await sleep(delayMs, signal, { unref: background === true });
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ModellixError) throw error;
    if (signal?.aborted) throw abortErrorFrom(signal);
    throw new ModellixError(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
