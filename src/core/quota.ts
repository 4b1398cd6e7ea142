import PQueue from "p-queue";
import { AbortError } from "./errors.js";
import { follow } from "./signals.js";
import { abortErrorFrom } from "./sleep.js";

/**
 * Shares the team's concurrent-task quota between processes (see
 * `modellix/redis`). A slot is taken before a paid submit and given back when
 * the task it became ends. A shared implementation should hold each slot as a
 * lease that expires unless kept alive, so that a crashed process's slots come back.
 */
export interface QuotaCoordinator {
  /** Waits for a free slot and takes it under `slotId`. Rejects with the SDK's `AbortError` if `signal` aborts first. */
  acquire(slotId: string, signal?: AbortSignal): Promise<void>;
  /** Gives the slot back, at once or after `options.afterMs`. Calling it for a slot that is not held does nothing. */
  release(slotId: string, options?: ReleaseOptions): Promise<void> | void;
  /** Submits of this process waiting for a slot. While some wait, tasks holding a slot are polled at the shortest interval. Optional. */
  readonly waiting?: number;
  /** Keeps a held slot's lease alive; called on every poll of its task. Optional. */
  renew?(slotId: string): Promise<void> | void;
}

/** How a slot is given back. */
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

/** The state of a client's task queue, and control over it (`client.queue`). */
export interface QueueState {
  /** Submits waiting for a free slot of the team quota. */
  readonly waiting: number;
  /** Tasks holding a slot: submitted and not yet ended. */
  readonly running: number;
  /** Resolves when nothing waits and no task holds a slot. */
  onIdle(): Promise<void>;
  /** Rejects every submit still waiting for a slot with `AbortError` (nothing was sent for them); running tasks are not touched. For shutdown. */
  clear(): void;
}

/**
 * The team's concurrent-task quota as a p-queue whose `concurrency` is the
 * quota: one job per task, spanning the task's life. A job starts when a slot
 * is free (and, with a shared coordinator, when it grants one), lets its submit
 * go, and ends when the task ends or its slot's hold expires.
 */
export class TaskQueue implements QuotaCoordinator, QueueState {
  readonly #queue: PQueue;
  readonly #shared: QuotaCoordinator | undefined;
  readonly #running = new Map<string, () => void>();
  /** How to cancel each submit still waiting for a slot (for `clear()`). */
  readonly #waiters = new Set<(reason: AbortError) => void>();
  /** Jobs still in the p-queue whose submit was cancelled: each ends at once when its turn comes. */
  #cancelledInQueue = 0;

  /**
   * @param slots How many tasks may run at once (the team quota, typically 3).
   * @param shared A coordinator sharing the quota with other processes.
   */
  constructor(slots: number, shared?: QuotaCoordinator) {
    this.#queue = new PQueue({ concurrency: slots });
    this.#shared = shared;
  }

  get waiting(): number {
    return this.#queue.size - this.#cancelledInQueue + (this.#shared?.waiting ?? 0);
  }

  get running(): number {
    return this.#running.size;
  }

  onIdle(): Promise<void> {
    return keepingAlive(this.#queue.onIdle());
  }

  clear(): void {
    const reason = new AbortError("The submit was cancelled before it was sent: client.queue.clear() was called.");
    for (const cancel of [...this.#waiters]) cancel(reason);
  }

  /**
   * Resolves once `slotId`'s job runs: a slot is taken for it until
   * {@link release}. A submit cancelled while it waits (its `signal`, or
   * `clear()`) is refused at once and its job ends when its turn comes. (No
   * AbortController per submit, nor a p-queue signal held for the task's life:
   * a task holds its job for minutes, so each one's cost adds up.)
   */
  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return keepingAlive(
      new Promise<void>((granted, refused) => {
        let state: "queued" | "started" | "done" = "queued";
        let sharedStop: AbortController | undefined;
        const following = signal && follow(signal);
        const onAbort = () => cancel(abortErrorFrom(signal));
        const settle = () => {
          state = "done";
          following?.removeEventListener("abort", onAbort);
          this.#waiters.delete(cancel);
        };
        const cancel = (reason: AbortError) => {
          if (state === "done") return;
          if (state === "queued") this.#cancelledInQueue++;
          sharedStop?.abort(reason);
          settle();
          refused(reason);
        };
        following?.addEventListener("abort", onAbort, { once: true });
        this.#waiters.add(cancel);
        void this.#queue.add(async () => {
          if (state === "done") {
            this.#cancelledInQueue--;
            return;
          }
          state = "started";
          if (this.#shared) {
            sharedStop = new AbortController();
            const taken = await this.#takeShared(slotId, sharedStop.signal, () => state === "done", refused);
            if (!taken) return settle();
          }
          settle();
          await new Promise<void>((release) => {
            this.#running.set(slotId, release);
            granted();
          });
        });
      }),
    );
  }

  /** Takes the shared coordinator's slot; false (the caller refused, or the slot given back) when that fails or the submit was cancelled meanwhile. */
  async #takeShared(slotId: string, stop: AbortSignal, cancelled: () => boolean, refused: (error: unknown) => void): Promise<boolean> {
    const shared = this.#shared as QuotaCoordinator;
    try {
      await shared.acquire(slotId, stop);
    } catch (error) {
      if (!cancelled()) refused(error);
      return false;
    }
    if (!cancelled()) return true;
    await Promise.resolve(shared.release(slotId)).catch(() => undefined);
    return false;
  }

  /** Frees `slotId`'s slot now or after `options.afterMs`; the next waiting submit takes it. */
  async release(slotId: string, options: ReleaseOptions = {}): Promise<void> {
    const done = this.#running.get(slotId);
    if (!done) return;
    if (options.afterMs !== undefined && options.afterMs > 0) {
      const timer = setTimeout(() => void this.release(slotId).catch(() => undefined), options.afterMs);
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    this.#running.delete(slotId);
    try {
      await this.#shared?.release(slotId);
    } finally {
      done();
    }
  }

  renew(slotId: string): Promise<void> | void {
    if (this.#running.has(slotId)) return this.#shared?.renew?.(slotId);
  }
}

/**
 * Keeps Node running while `promise` is pending. Someone awaits a slot (or the
 * queue's end) while the tasks holding the slots poll on timers that do not
 * keep Node alive on their own: without this, a script would exit mid-wait.
 */
function keepingAlive<T>(promise: Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 2 ** 30);
  return promise.finally(() => clearInterval(timer));
}
