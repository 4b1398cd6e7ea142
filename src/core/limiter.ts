import PQueue from "p-queue";
import type { RateLimitInfo } from "./errors.js";
import { isRunningLow } from "./rate-limit.js";
import { abortErrorFrom, sleep } from "./sleep.js";

/**
 * Holds the team's concurrent-task quota. A slot is taken before a paid submit
 * and given back when the task it became reaches a terminal state. Implement
 * it to share the quota between processes (see `modellix/redis`).
 */
export interface QuotaCoordinator {
  /** Waits for a free slot and takes it under `slotId`. Rejects with the SDK's `AbortError` if `signal` aborts first. */
  acquire(slotId: string, signal?: AbortSignal): Promise<void>;
  /** Gives the slot back. Calling it for a slot that is not held does nothing. */
  release(slotId: string): Promise<void> | void;
  /** Keeps a held slot's lease alive; called on every poll of its task. Optional. */
  renew?(slotId: string): Promise<void> | void;
}

/** The in-process quota: a p-queue whose concurrency is the number of task slots. */
export class LocalQuota implements QuotaCoordinator {
  readonly #queue: PQueue;
  readonly #held = new Map<string, () => void>();

  /** @param slots How many tasks may run at once (the team quota, typically 3). */
  constructor(slots: number) {
    this.#queue = new PQueue({ concurrency: slots });
  }

  /** Slots in use right now. */
  get active(): number {
    return this.#held.size;
  }

  /** Submits waiting for a slot. */
  get waiting(): number {
    return this.#queue.size;
  }

  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortErrorFrom(signal));
      const onAbort = () => reject(abortErrorFrom(signal));
      signal?.addEventListener("abort", onAbort, { once: true });
      void this.#queue.add(
        () =>
          new Promise<void>((free) => {
            signal?.removeEventListener("abort", onAbort);
            if (signal?.aborted) return free();
            this.#held.set(slotId, free);
            resolve();
          }),
      );
    });
  }

  release(slotId: string): void {
    const free = this.#held.get(slotId);
    this.#held.delete(slotId);
    free?.();
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

  /** Resolves when the next request may start. */
  async wait(signal?: AbortSignal): Promise<void> {
    const info = this.#info;
    const remaining = info?.remaining === undefined ? undefined : Math.max(0, info.remaining - this.#startedSinceInfo);
    this.#startedSinceInfo++;
    if (!isRunningLow(info && { ...info, remaining }, this.threshold)) return;
    const now = Date.now();
    const resetWait = remaining === 0 && info?.resetAt ? info.resetAt.getTime() - now : 0;
    const startAt = Math.max(now + Math.min(resetWait, this.maxWaitMs), this.#nextAt);
    this.#nextAt = startAt + this.spacingMs;
    if (startAt > now) await sleep(startAt - now, signal);
  }
}
