const WINDOW_MS = 60_000;

/** The outcome of counting one request against the rate window. */
export interface RateDecision {
  /** False when the request is over the limit and must be answered 429. */
  allowed: boolean;
  /** The `X-RateLimit-*` headers. */
  headers: Record<string, string>;
  /** Whole seconds until the window ends (at least 1): the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
}

/**
 * A fixed per-minute request window on the fake's clock, aligned to whole minutes
 * of the epoch: `limit` requests per window, the rest refused until it ends.
 */
export class RateWindow {
  #windowStart = Number.NaN;
  #count = 0;

  constructor(readonly limit: number) {}

  /** Counts a request arriving at `now` (refused requests are not counted). */
  hit(now: number): RateDecision {
    const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    if (windowStart !== this.#windowStart) {
      this.#windowStart = windowStart;
      this.#count = 0;
    }
    const windowEnd = windowStart + WINDOW_MS;
    const allowed = this.#count < this.limit;
    if (allowed) this.#count += 1;
    return {
      allowed,
      headers: {
        "X-RateLimit-Limit": String(this.limit),
        "X-RateLimit-Remaining": String(Math.max(0, this.limit - this.#count)),
        "X-RateLimit-Reset": String(Math.ceil(windowEnd / 1000)),
      },
      retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
    };
  }
}
