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
  readonly #waiting: WaitingClaims = { claims: new Set(), queued: 0 };

  /**
   * @param slots How many tasks may run at once (the team quota, typically 3).
   * @param shared A coordinator sharing the quota with other processes.
   */
  constructor(slots: number, shared?: QuotaCoordinator) {
    this.#queue = new PQueue({ concurrency: slots });
    this.#shared = shared;
  }

  get waiting(): number {
    return this.#waiting.queued + (this.#shared?.waiting ?? 0);
  }

  get running(): number {
    return this.#running.size;
  }

  onIdle(): Promise<void> {
    return keepingAlive(this.#queue.onIdle());
  }

  clear(): void {
    const reason = new AbortError("The submit was cancelled before it was sent: client.queue.clear() was called.");
    for (const claim of [...this.#waiting.claims]) claim.cancel(reason);
  }

  /**
   * Resolves once `slotId`'s job runs: a slot is taken for it until
   * {@link release}. A submit cancelled while it waits (its `signal`, or
   * `clear()`) is refused at once and its job ends when its turn comes.
   */
  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return keepingAlive(
      new Promise<void>((granted, refused) => {
        const claim = new SlotClaim(slotId, granted, refused, signal, this.#waiting);
        void this.#queue.add(this.#job(claim));
      }),
    );
  }

  /**
   * The p-queue job of one claim. A job runs for its task's whole life, so what
   * it keeps is kept per live task: the claim alone, nothing of the wait for it.
   */
  #job(claim: SlotClaim): () => Promise<void> {
    return () => this.#hold(claim);
  }

  /**
   * Runs a claim's job: takes the slot (and the shared coordinator's), lets the
   * submit go, and ends on {@link release}. Not an async function when no
   * coordinator is shared: a suspended one would cost each live task its frame.
   */
  #hold(claim: SlotClaim): Promise<void> {
    if (!claim.start()) return Promise.resolve(); // cancelled while it waited
    if (this.#shared) return this.#holdShared(claim);
    return this.#taken(claim);
  }

  /**
   * Takes the shared coordinator's slot, then holds it like a local one. If
   * that fails, the submit is refused; if the submit was cancelled meanwhile,
   * the shared slot is given back.
   */
  async #holdShared(claim: SlotClaim): Promise<void> {
    const shared = this.#shared as QuotaCoordinator;
    const stop = new AbortController();
    claim.sharedStop = stop;
    try {
      await shared.acquire(claim.slotId, stop.signal);
    } catch (error) {
      return claim.refuse(error); // does nothing for a cancelled claim
    }
    if (!claim.done) return this.#taken(claim);
    await Promise.resolve(shared.release(claim.slotId)).catch(() => undefined);
  }

  /** The slot is the claim's: the submit goes, and the job lasts until {@link release}. */
  #taken(claim: SlotClaim): Promise<void> {
    return new Promise<void>((release) => {
      this.#running.set(claim.slotId, release);
      claim.grant();
    });
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

/** The submits waiting for a slot: their claims (for `clear()`), and how many are still in the p-queue. */
interface WaitingClaims {
  claims: Set<SlotClaim>;
  queued: number;
}

/**
 * One submit's claim on a slot: waiting in the queue, then started, then done
 * (granted, refused or cancelled). What only the wait needs (the caller's
 * signal, its callbacks) is let go once the claim is settled.
 */
class SlotClaim implements EventListenerObject {
  readonly slotId: string;
  #state: "queued" | "started" | "done" = "queued";
  sharedStop: AbortController | undefined;
  #granted: (() => void) | undefined;
  #refused: ((error: unknown) => void) | undefined;
  #signal: AbortSignal | undefined;
  #waiting: WaitingClaims | undefined;

  constructor(slotId: string, granted: () => void, refused: (error: unknown) => void, signal: AbortSignal | undefined, waiting: WaitingClaims) {
    this.slotId = slotId;
    this.#granted = granted;
    this.#refused = refused;
    this.#waiting = waiting;
    waiting.claims.add(this);
    waiting.queued++;
    // A listener on a signal of our own, not on the caller's (no MaxListeners warning from many submits).
    this.#signal = signal && follow(signal);
    this.#signal?.addEventListener("abort", this, { once: true });
  }

  get done(): boolean {
    return this.#state === "done";
  }

  /** The job's turn came: false when the claim was cancelled meanwhile. */
  start(): boolean {
    if (this.#state === "done") return false;
    this.#leaveQueue();
    this.#state = "started";
    return true;
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.cancel(abortErrorFrom(this.#signal));
  }

  /** Refuses a claim still waiting (a queued one's job ends when its turn comes). */
  cancel(reason: AbortError): void {
    if (this.#state === "done") return;
    this.#leaveQueue();
    this.sharedStop?.abort(reason);
    this.refuse(reason);
  }

  grant(): void {
    const granted = this.#granted;
    this.#settle();
    granted?.();
  }

  refuse(error: unknown): void {
    const refused = this.#refused;
    this.#settle();
    refused?.(error);
  }

  /** Done: lets go of everything the wait needed. */
  #settle(): void {
    this.#state = "done";
    this.#signal?.removeEventListener("abort", this);
    this.#waiting?.claims.delete(this);
    this.#granted = this.#refused = this.#signal = this.#waiting = this.sharedStop = undefined;
  }

  #leaveQueue(): void {
    if (this.#state === "queued" && this.#waiting) this.#waiting.queued--;
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
