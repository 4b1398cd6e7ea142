import type { RateLimitInfo } from "./errors.js";
import { isRunningLow } from "./rate-limit.js";
import { sleep } from "./sleep.js";

/** How the {@link RequestPacer} paces requests. */
export interface PacerOptions {
  /** Below this fraction of the window's requests left, pacing starts (default 0.2). */
  threshold?: number | undefined;
  /** The least time between two paced starts, in ms (default 1000). */
  spacingMs?: number | undefined;
  /** The longest wait for the window to reset, in ms (default 60000). */
  maxWaitMs?: number | undefined;
}

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

  readonly #spacingMs: number;
  readonly #threshold: number;
  readonly #maxWaitMs: number;

  constructor({ spacingMs = 1000, threshold = 0.2, maxWaitMs = 60_000 }: PacerOptions = {}) {
    this.#spacingMs = spacingMs;
    this.#threshold = threshold;
    this.#maxWaitMs = maxWaitMs;
  }

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
    if (!isRunningLow(info && { ...info, remaining }, this.#threshold)) return 0;
    const now = Date.now();
    const resetWait = remaining === 0 && info?.resetAt ? info.resetAt.getTime() - now : 0;
    const startAt = Math.max(now + Math.min(resetWait, this.#maxWaitMs), this.#nextAt);
    this.#nextAt = startAt + this.#spacingMs;
    if (startAt > now) await sleep(startAt - now, signal);
    return Math.max(0, startAt - now);
  }
}
