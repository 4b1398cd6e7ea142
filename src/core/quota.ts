import PQueue from "p-queue";
import { UserAbortError } from "./errors.js";
import { anySignal, follow } from "./signals.js";
import { abortErrorFrom } from "./sleep.js";

/**
 * Shares the team's concurrent-task quota between processes (see
 * `modellix/redis`). A slot is taken before a paid submit and given back when
 * the task it became ends. A shared implementation should hold each slot as a
 * lease that expires unless kept alive, so that a crashed process's slots come back.
 */
export interface QuotaCoordinator {
  /** Waits for a free slot and takes it under `slotId`. Rejects with the SDK's `UserAbortError` if `signal` aborts first. */
  acquire(slotId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Gives the slot back, at once or after `options.afterMs`. Calling it for a slot that is not held does nothing.
   * The returned promise settles once the slot is free for the other processes: the local slot stays taken until then.
   */
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
  /** Rejects every submit still waiting for a slot with `UserAbortError` (nothing was sent for them); running tasks are not touched. For shutdown. */
  clear(): void;
}

/** A slot taken by a p-queue job: `free` ends the job; `releasing` while the shared coordinator has not confirmed the release yet. */
interface Slot {
  free(): void;
  releasing: boolean;
}

/**
 * The team's concurrent-task quota as a p-queue whose `concurrency` is the
 * quota: one job per task, spanning the task's life. A job starts when a slot
 * is free (and, with a shared coordinator, when it grants one), lets its submit
 * go, and ends when the task's slot is given back.
 *
 * A waiting submit is a p-queue job added with a signal of its own (`add(fn, { signal })`):
 * the caller's signal and {@link clear} abort it, which takes it out of the
 * queue. That signal stops following them once the slot is granted, so that
 * nothing can end a running task's job but {@link release}.
 */
export class TaskQueue implements QuotaCoordinator, QueueState {
  readonly #queue: PQueue;
  readonly #shared: QuotaCoordinator | undefined;
  readonly #slots = new Map<string, Slot>();
  /** Jobs that hold a local slot and wait for the shared coordinator's. */
  #sharedWaits = 0;
  /** Followed by every waiting submit; {@link clear} aborts it and puts a fresh one in its place (p-queue's bulk cancellation). */
  #cleared = new AbortController();

  /**
   * @param slots How many tasks may run at once (the team quota, typically 3).
   * @param shared A coordinator sharing the quota with other processes.
   */
  constructor(slots: number, shared?: QuotaCoordinator) {
    this.#queue = new PQueue({ concurrency: slots });
    this.#shared = shared;
  }

  get waiting(): number {
    return this.#queue.size + this.#sharedWaits;
  }

  get running(): number {
    return this.#slots.size;
  }

  onIdle(): Promise<void> {
    return keepingAlive(this.#queue.onIdle());
  }

  clear(): void {
    const cleared = this.#cleared;
    this.#cleared = new AbortController();
    cleared.abort(new UserAbortError("The submit was cancelled before it was sent: client.queue.clear() was called."));
  }

  /**
   * Resolves once `slotId`'s job runs and holds a slot, until {@link release}.
   * A submit cancelled while it waits (its `signal`, or {@link clear}) leaves
   * the queue and is refused with `UserAbortError`.
   */
  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    // Signals of our own (AbortSignal.any): no listener per submit on the caller's signal or on the clear() one.
    const cancelled = signal ? anySignal(signal, this.#cleared.signal) : follow(this.#cleared.signal);
    const waiting = new AbortController();
    const cancel = () => waiting.abort(asAbortError(cancelled.reason));
    cancelled.addEventListener("abort", cancel, { once: true });
    return keepingAlive(
      new Promise<void>((granted, refused) => {
        const taken = () => {
          cancelled.removeEventListener("abort", cancel);
          granted();
        };
        this.#queue.add(() => this.#hold(slotId, waiting.signal, taken), { signal: waiting.signal }).catch((error: unknown) => {
          cancelled.removeEventListener("abort", cancel);
          refused(error);
        });
      }),
    );
  }

  /**
   * A submit's p-queue job: takes the shared coordinator's slot too (giving it
   * back if the submit was cancelled meanwhile), then holds the slot until {@link release}.
   */
  async #hold(slotId: string, waiting: AbortSignal, taken: () => void): Promise<void> {
    if (this.#shared) {
      this.#sharedWaits++;
      try {
        await this.#shared.acquire(slotId, waiting);
      } finally {
        this.#sharedWaits--;
      }
      if (waiting.aborted) {
        await Promise.resolve(this.#shared.release(slotId)).catch(() => undefined);
        return;
      }
    }
    return new Promise<void>((free) => {
      this.#slots.set(slotId, { free, releasing: false });
      taken();
    });
  }

  /**
   * Frees `slotId`'s slot now or after `options.afterMs`; the next waiting
   * submit takes it. With a shared coordinator the local slot is freed once the
   * coordinator has given its slot back (it retries a release that fails), so
   * this process never runs more tasks than the team's quota grants it.
   */
  async release(slotId: string, options: ReleaseOptions = {}): Promise<void> {
    const slot = this.#slots.get(slotId);
    if (!slot || slot.releasing) return;
    if (options.afterMs !== undefined && options.afterMs > 0) {
      const timer = setTimeout(() => void this.release(slotId).catch(() => undefined), options.afterMs);
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    slot.releasing = true;
    try {
      await this.#shared?.release(slotId);
    } finally {
      this.#slots.delete(slotId);
      slot.free();
    }
  }

  renew(slotId: string): Promise<void> | void {
    if (this.#slots.get(slotId)?.releasing === false) return this.#shared?.renew?.(slotId);
  }
}

/** Why a waiting submit was cancelled, as the SDK's `UserAbortError` (the caller's own reason kept as its cause). */
function asAbortError(reason: unknown): UserAbortError {
  return reason instanceof UserAbortError ? reason : new UserAbortError(undefined, { cause: reason });
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
