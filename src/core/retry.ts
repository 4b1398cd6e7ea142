import pRetry from "p-retry";
import { APIError, ConnectionError, InvalidResponseError, ModellixError, RateLimitError, RequestTimeoutError } from "./errors.js";
import { parseRetryAfter } from "./rate-limit.js";
import { follow } from "./signals.js";
import { abortErrorFrom, sleep } from "./sleep.js";

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** First backoff delay in ms (default 1000), randomized up to twice that; doubles on each retry. */
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
   * so it is retried every 5–15 s (or after its `Retry-After`) without using up `maxRetries`.
   */
  quotaWaitMs: number;
}

/** Defaults: 3 retries, 1 s → 2 s → 4 s (each up to twice that), server-requested waits up to 60 s, 2 min per call, 10 min for a full team quota. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  maxRetryTimeMs: 120_000,
  quotaWaitMs: 600_000,
};

/** The backoff between tries of a submit that meets a full team quota: 5 s growing by half up to 15 s, each up to twice that capped at 15 s. */
const quotaBackoff = { minTimeout: 5000, factor: 1.5, maxTimeout: 15_000 };

/** The least wait a server may ask for: it replaces the backoff, so `Retry-After: 0` must not start a loop of requests. */
const minServerWaitMs = 1000;

const retryableReadStatuses = new Set([429, 500, 502, 503, 504]);

/** Safe to repeat a read (GET): 429, 5xx gateways, timeouts, dropped connections, unreadable bodies. */
export function isRetryableRead(error: unknown): boolean {
  if (error instanceof InvalidResponseError) return true;
  if (error instanceof APIError) return retryableReadStatuses.has(error.status);
  return error instanceof ConnectionError || error instanceof RequestTimeoutError;
}

/** A 429 about the team's concurrent-task limit rather than the request rate: it frees only when a task ends. */
function isConcurrencyLimit(error: unknown): boolean {
  return error instanceof RateLimitError && /concurren|task limit/i.test(`${error.category ?? ""} ${error.detail}`);
}

/**
 * How long the server asked to wait before the next try, in ms (at least
 * {@link minServerWaitMs}, at most `maxMs`): its `Retry-After`, or, on a 429
 * whose window is used up, its `X-RateLimit-Reset` (every answer carries that
 * header; a 429 with requests left, such as a full team quota, is not about the
 * window). Undefined when it asked for nothing, or for a time already past.
 * Read with the range-checked parsers of `rate-limit.ts`.
 */
function serverRequestedWait(error: unknown, maxMs: number, now: number = Date.now()): number | undefined {
  if (!(error instanceof APIError)) return undefined;
  let waitMs = parseRetryAfter(error.headers["retry-after"] ?? null, now);
  if (waitMs === undefined && error instanceof RateLimitError && !(error.remaining !== undefined && error.remaining > 0)) {
    const resetAt = error.resetAt?.getTime();
    waitMs = resetAt !== undefined && resetAt > now ? resetAt - now : undefined;
  }
  return waitMs === undefined ? undefined : Math.max(minServerWaitMs, Math.min(waitMs, maxMs));
}

/** What {@link withRetries} needs besides the attempt. */
export interface RetryOptions {
  policy: RetryPolicy;
  /** Whether a failure may be tried again (submit safety lives here). */
  retryable: (error: unknown) => boolean;
  /** A paid submit: a full team quota (a concurrency 429) is waited out for `policy.quotaWaitMs`, apart from `maxRetries`. */
  quotaWait?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Background work nobody awaits (task polling): its waits do not keep Node alive. */
  background?: boolean | undefined;
  /** Told of each retry as it starts: the attempt that failed, why, and how long was waited since. */
  onRetry?: ((info: { error: unknown; attempt: number; delayMs: number }) => void) | undefined;
}

/** One p-retry loop: its tries, backoff and time budget, and which failures it retries. */
interface Loop {
  retries: number;
  minTimeout: number;
  factor: number;
  maxTimeout: number;
  maxRetryTime: number;
  retryable: (error: unknown) => boolean;
}

/**
 * Runs `attempt` (given its 1-based number) until it succeeds, fails with an
 * error `retryable` refuses, or the policy's retries or time are spent. p-retry
 * owns the loop: the count, the backoff (randomized), the time budget, the
 * abort signal and `unref`. With `quotaWait`, a second p-retry loop around the
 * first waits out a full team quota, with a budget of its own
 * (`quotaWaitMs`, retried however small `maxRetries` is).
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, retryable, quotaWait, signal, background, onRetry } = options;
  let attempts = 0;
  let failed: { error: unknown; attempt: number; at: number } | undefined;
  const next = () => {
    if (failed) onRetry?.({ error: failed.error, attempt: failed.attempt, delayMs: Date.now() - failed.at });
    return attempt(++attempts);
  };
  const common = {
    maxServerWaitMs: policy.maxRetryAfterMs,
    // A signal of the call's own: p-retry's per-wait listener goes on it, not on a caller's signal shared by many calls.
    signal: signal && follow(signal),
    unref: background === true,
    onFailure: (error: unknown) => {
      failed = { error, attempt: attempts, at: Date.now() };
    },
  };
  const failures = () =>
    loop(next, common, {
      retries: policy.maxRetries,
      minTimeout: policy.baseDelayMs,
      factor: 2,
      maxTimeout: policy.maxDelayMs,
      maxRetryTime: policy.maxRetryTimeMs,
      retryable: quotaWait ? (error) => retryable(error) && !isConcurrencyLimit(error) : retryable,
    });
  try {
    if (!quotaWait) return await failures();
    return await loop(failures, common, { retries: Number.POSITIVE_INFINITY, ...quotaBackoff, maxRetryTime: policy.quotaWaitMs, retryable: isConcurrencyLimit });
  } catch (error) {
    if (error instanceof ModellixError) throw error;
    if (signal?.aborted) throw abortErrorFrom(signal);
    throw new ModellixError(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * One p-retry loop. p-retry has no per-failure delay; its README adds a delay
 * by returning a promise from `onFailedAttempt`, which p-retry awaits before
 * anything else. That is where a wait the server asked for (`Retry-After`, a
 * spent window's `X-RateLimit-Reset`) is waited, when a retry may follow.
 * Such a failure then uses up no retry (`shouldConsumeRetry`, as p-retry's
 * README shows for rate limits), so p-retry adds no backoff of its own: the
 * server's wait replaces it (hence its floor, {@link minServerWaitMs}), and
 * `maxRetryTime` still bounds it. Any other failure gets p-retry's backoff.
 */
function loop<T>(
  run: () => Promise<T>,
  common: { maxServerWaitMs: number; signal: AbortSignal | undefined; unref: boolean; onFailure: (error: unknown) => void },
  { retryable, ...backoff }: Loop,
): Promise<T> {
  const { maxServerWaitMs, signal, unref, onFailure } = common;
  let waitedOut: unknown; // the failure whose server-requested wait was just waited
  return pRetry(run, {
    ...backoff,
    randomize: true,
    signal,
    unref,
    onFailedAttempt: async ({ error, retriesLeft }) => {
      onFailure(error);
      const waitMs = retriesLeft > 0 && retryable(error) ? serverRequestedWait(error, maxServerWaitMs) : undefined;
      if (waitMs === undefined) return;
      waitedOut = error;
      await sleep(waitMs, signal, { unref });
    },
    shouldConsumeRetry: ({ error }) => error !== waitedOut,
    shouldRetry: ({ error }) => retryable(error),
  });
}
