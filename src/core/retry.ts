import { APIError, ConnectionError, InvalidResponseError, TimeoutError } from "./errors.js";
import { parseRetryAfter } from "./rate-limit.js";
import { sleep } from "./sleep.js";

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** First backoff delay in ms (default 1000); doubles on each retry. */
  baseDelayMs: number;
  /** Longest backoff delay in ms (default 8000). */
  maxDelayMs: number;
  /** Longest server-requested wait (`Retry-After`, `X-RateLimit-Reset`) honoured, in ms (default 60000). */
  maxRetryAfterMs: number;
}

/** Defaults: 3 retries, 1 s → 2 s → 4 s (±20 % jitter), server-requested waits up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

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

/** The wait before retry number `retry` (1-based): the server's `Retry-After`/`X-RateLimit-Reset` if it sent one, else backoff with jitter. */
export function retryDelay(error: unknown, retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const serverWait = error instanceof APIError ? serverRequestedWait(error.status, error.headers) : undefined;
  if (serverWait !== undefined) return Math.min(serverWait, policy.maxRetryAfterMs);
  const backoff = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
  return Math.round(backoff * (0.8 + 0.4 * random()));
}

/**
 * `Retry-After` on any answer; `X-RateLimit-Reset` only on a 429 whose window is
 * used up (every answer carries the header; a 429 with requests remaining, such
 * as a full team quota, is not about the window).
 */
function serverRequestedWait(status: number, headers: Record<string, string>): number | undefined {
  const now = Date.now();
  const retryAfter = parseRetryAfter(headers["retry-after"] ?? null, now);
  if (retryAfter !== undefined || status !== 429) return retryAfter;
  if (Number(headers["x-ratelimit-remaining"] ?? 0) > 0) return undefined;
  const reset = Number(headers["x-ratelimit-reset"]);
  return headers["x-ratelimit-reset"] && Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : undefined;
}

/**
 * Runs `attempt` (given its 1-based number) until it succeeds, fails with an
 * error `retryable` refuses, or `policy.maxRetries` retries are spent, waiting
 * {@link retryDelay} between tries. (A loop of our own: the delay, jitter and
 * abort handling are all ours, and p-retry would add ~1.5 kB gz to the browser
 * bundle for the loop alone.)
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    retryable: (error: unknown) => boolean;
    signal?: AbortSignal | undefined;
    onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  },
): Promise<T> {
  const { policy, retryable, signal, onRetry } = options;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber > policy.maxRetries || !retryable(error)) throw error;
      const delayMs = retryDelay(error, attemptNumber, policy);
      onRetry?.({ error, attempt: attemptNumber, delayMs });
      await sleep(delayMs, signal);
    }
  }
}
