import type { RateLimitInfo } from "./errors.js";

/**
 * The farthest a server-given time may lie ahead (one day). A per-minute rate
 * window never resets later, and a `Retry-After` beyond it is not a wait to
 * honour: such a figure (`X-RateLimit-Reset: 1e300`) is dropped where it is
 * read, so it can neither become an Invalid Date nor stall the client.
 */
const maxServerTimeAheadMs = 24 * 60 * 60 * 1000;

/** Reads `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` and `Retry-After`, each range-checked. */
export function parseRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo {
  return {
    limit: toCount(headers.get("x-ratelimit-limit")),
    remaining: toCount(headers.get("x-ratelimit-remaining")),
    resetAt: parseReset(headers.get("x-ratelimit-reset"), now),
    retryAfterMs: parseRetryAfter(headers.get("retry-after"), now),
  };
}

/**
 * `X-RateLimit-Reset` as a time. The API sends Unix seconds; like ky, a small
 * number is read as seconds from now, and a millisecond or microsecond
 * timestamp by its magnitude rather than as seconds far in the future. A time
 * more than {@link maxServerTimeAheadMs} ahead says nothing (undefined).
 */
function parseReset(value: string | null, now: number): Date | undefined {
  const number = toNumber(value);
  if (number === undefined) return undefined;
  let ms = number / 1000; // Unix microseconds
  if (number < 1e9) ms = now + number * 1000; // before 2001 as seconds: a delay
  else if (number < 1e11) ms = number * 1000; // Unix seconds
  else if (number < 1e14) ms = number; // Unix milliseconds
  return ms - now <= maxServerTimeAheadMs ? new Date(ms) : undefined;
}

/**
 * `Retry-After` as delta-seconds or an HTTP date, in ms from `now`. A date in
 * the past, or a wait longer than {@link maxServerTimeAheadMs}, says nothing (undefined).
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return seconds * 1000 <= maxServerTimeAheadMs ? seconds * 1000 : undefined;
  const ms = Date.parse(value) - now; // NaN for a value that is no date
  return ms > 0 && ms <= maxServerTimeAheadMs ? ms : undefined;
}

/** True when fewer than `fraction` of the window's requests are left. */
export function isRunningLow(info: RateLimitInfo | undefined, fraction: number): boolean {
  if (!info || info.limit === undefined || info.remaining === undefined || info.limit <= 0) return false;
  return info.remaining < info.limit * fraction;
}

/** A finite number ≥ 0, or undefined. */
function toNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** A request count: a whole number ≥ 0 that is exact in a double, or undefined. */
function toCount(value: string | null): number | undefined {
  const number = toNumber(value);
  return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
}
