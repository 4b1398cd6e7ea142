import type { RateLimitInfo } from "./errors.js";
import { isRunningLow } from "./rate-limit.js";
import { abortErrorFrom, sleep } from "./sleep.js";

/**
 * Holds the team's concurrent-task quota. A slot is taken before a paid submit
 * and given back when the task it became reaches a terminal state. Implement
 * it to share the quota between processes (see `modellix/redis`). A shared
 * implementation should hold each slot as a lease that expires unless kept
 * alive, so that the slots of a crashed process come back.
 */
export interface QuotaCoordinator {
  /** Waits for a free slot and takes it under `slotId`. Rejects with the SDK's `AbortError` if `signal` aborts first. */
  acquire(slotId: string, signal?: AbortSignal): Promise<void>;
  /** Gives the slot back, at once or after `options.afterMs`. Calling it for a slot that is not held does nothing. */
  release(slotId: string, options?: ReleaseOptions): Promise<void> | void;
  /** Submits of this process waiting for a slot. While some wait, tasks holding a slot are polled at the shortest interval, so a freed slot is noticed sooner. Optional. */
  readonly waiting?: number;
  /** Keeps a held slot's lease alive; called on every poll of its task. Optional. */
  renew?(slotId: string): Promise<void> | void;
}

/** How {@link QuotaCoordinator.release} gives a slot back. */
export interface ReleaseOptions {
  /**
   * Keep the slot taken this many more ms, then free it. The SDK asks for this
   * when it cannot tell whether the slot's task runs at the server (a submit
   * whose outcome is unknown, or polling that gave up): such a task still counts
   * against the team's quota, so freeing its slot at once would let the next
   * submit run into a 429.
   */
  afterMs?: number | undefined;
}

/**
 * The in-process quota: a first-come, first-served semaphore with one slot per
 * task the team may run at once. (A general job queue such as p-queue would
 * cost ~4 kB gz in the browser bundle for what is a counter and a waiting line.)
 */
export class LocalQuota implements QuotaCoordinator {
  readonly #slots: number;
  readonly #held = new Set<string>();
  readonly #waiting: Array<() => void> = [];

  /** @param slots How many tasks may run at once (the team quota, typically 3). */
  constructor(slots: number) {
    this.#slots = slots;
  }

  /** Slots in use right now. */
  get active(): number {
    return this.#held.size;
  }

  /** Submits waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    if (this.#held.size < this.#slots && this.#waiting.length === 0) {
      this.#held.add(slotId);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#held.add(slotId);
        resolve();
      };
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(grant), 1);
        reject(abortErrorFrom(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  release(slotId: string, options: ReleaseOptions = {}): void {
    if (!this.#held.has(slotId)) return;
    if (options.afterMs !== undefined && options.afterMs > 0) {
      const timer = setTimeout(() => this.release(slotId), options.afterMs);
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    this.#held.delete(slotId);
    this.#waiting.shift()?.();
  }
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
