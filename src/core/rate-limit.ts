import type { RateLimitInfo } from "./errors.js";

/** Reads `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` and `Retry-After`. */
export function parseRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo {
  return {
    limit: toNumber(headers.get("x-ratelimit-limit")),
    remaining: toNumber(headers.get("x-ratelimit-remaining")),
    resetAt: parseReset(headers.get("x-ratelimit-reset"), now),
    retryAfterMs: parseRetryAfter(headers.get("retry-after"), now),
  };
}

/**
 * `X-RateLimit-Reset` as a time. The API sends Unix seconds; like ky, a small
 * number is read as seconds from now, and a millisecond or microsecond
 * timestamp by its magnitude rather than as seconds far in the future.
 */
export function parseReset(value: string | null, now: number): Date | undefined {
  const number = toNumber(value);
  if (number === undefined) return undefined;
  if (number < 1e9) return new Date(now + number * 1000); // before 2001 as seconds: a delay
  if (number < 1e11) return new Date(number * 1000); // Unix seconds
  if (number < 1e14) return new Date(number); // Unix milliseconds
  return new Date(number / 1000); // Unix microseconds
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; a date in the past says nothing (undefined). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) || date <= now ? undefined : date - now;
}

/** True when fewer than `fraction` of the window's requests are left. */
export function isRunningLow(info: RateLimitInfo | undefined, fraction: number): boolean {
  if (!info || info.limit === undefined || info.remaining === undefined || info.limit <= 0) return false;
  return info.remaining < info.limit * fraction;
}

function toNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
