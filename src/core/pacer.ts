import type { RateLimitInfo } from "./errors.js";
import { isRunningLow } from "./rate-limit.js";
import { sleep } from "./sleep.js";

/**
 * Proactive throttle: while fewer than `threshold` of the rate-limit window's
 * requests are left, starts at most one request per `spacingMs`; with none
 * left, waits for the window to reset. Requests started since the latest
 * response count against what it reported, so a burst is paced too.
 */
export class RequestPacer {
  #info: RateLimitInfo | undefined;
  #startedSinceInfo = 0;
  #nextAt = 0;

  constructor(
    private readonly spacingMs: number,
    private readonly threshold: number,
    private readonly maxWaitMs: number,
  ) {}

  /** The latest rate-limit figures a response carried. */
  get info(): RateLimitInfo | undefined {
    return this.#info;
  }

  /** Records the figures of a response that carried rate-limit headers. */
  observe(info: RateLimitInfo): void {
    this.#info = info;
    this.#startedSinceInfo = 0;
  }

  /** Resolves when the next request may start, with how long it waited (ms). */
  async wait(signal?: AbortSignal): Promise<number> {
    const info = this.#info;
    const remaining = info?.remaining === undefined ? undefined : Math.max(0, info.remaining - this.#startedSinceInfo);
    this.#startedSinceInfo++;
    if (!isRunningLow(info && { ...info, remaining }, this.threshold)) return 0;
    const now = Date.now();
    const resetWait = remaining === 0 && info?.resetAt ? info.resetAt.getTime() - now : 0;
    const startAt = Math.max(now + Math.min(resetWait, this.maxWaitMs), this.#nextAt);
    this.#nextAt = startAt + this.spacingMs;
    if (startAt > now) await sleep(startAt - now, signal);
    return Math.max(0, startAt - now);
  }
}
