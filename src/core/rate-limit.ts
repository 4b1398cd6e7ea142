import type { RateLimitInfo } from "./errors.js";

/** Reads `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` and `Retry-After`. */
export function parseRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo {
  const reset = toNumber(headers.get("x-ratelimit-reset"));
  return {
    limit: toNumber(headers.get("x-ratelimit-limit")),
    remaining: toNumber(headers.get("x-ratelimit-remaining")),
    resetAt: reset === undefined ? undefined : new Date(reset * 1000),
    retryAfterMs: parseRetryAfter(headers.get("retry-after"), now),
  };
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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
