import { WaitTimeoutError, withTask } from "./core/errors.js";
import { follow } from "./core/signals.js";
import { abortErrorFrom } from "./core/sleep.js";
import { type TaskSnapshot, isTerminal } from "./core/task-data.js";
import type { Poller } from "./poller.js";
import type { Task } from "./task.js";

/** How a {@link TaskUpdates} stops early. */
export interface UpdatesOptions {
  /** Stops with `AbortError` (naming the task) when it aborts. */
  signal?: AbortSignal | undefined;
  /** @internal `wait()`'s deadline: stops with `WaitTimeoutError` after this many ms (finite). */
  timeoutMs?: number | undefined;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The readings of one task, as an async iterator (`task.updates()`): each
 * status change once and in order, ending after `success` or `failed`
 * (yielded, not thrown). An error that ends the polling, an abort, or the
 * deadline of a `wait()` rejects the next `next()` once the readings before it
 * were taken. Breaking out of a `for await` loop stops following the task.
 *
 * It is one object per follower, its own watcher and abort listener: no
 * closures, no generator, since a process may keep thousands of them waiting.
 */
export class TaskUpdates implements AsyncIterableIterator<TaskSnapshot, undefined> {
  readonly #task: Task;
  /** The task's poller; the live one once following started. */
  #poller: Poller;
  readonly #timeoutMs: number | undefined;
  /** The caller's signal until the start, then a signal of our own following it. */
  #signal: AbortSignal | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Readings not taken yet (most of the time none). */
  #buffer: TaskSnapshot[] | undefined;
  /** The error to reject the next `next()` with, once the buffer is empty. */
  #failure: unknown;
  /** The pending `next()` or {@link drain}, when one waits. */
  #resolve: ((value: unknown) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  /** While draining: what each reading goes to, and what the last one becomes. */
  #each: ((snapshot: TaskSnapshot) => void) | undefined;
  #finish: ((last: TaskSnapshot) => unknown) | undefined;
  #lastStatus: string | undefined;
  /** Following starts with the first `next()` (or the drain), as a generator would; closed: no more readings will come (the end was read, an error came, or the caller stopped). */
  #state: "new" | "open" | "closed" = "new";

  /** @internal Use `task.updates()`. */
  constructor(task: Task, poller: Poller, options: UpdatesOptions = {}) {
    this.#task = task;
    this.#poller = poller;
    this.#signal = options.signal;
    this.#timeoutMs = options.timeoutMs;
  }

  /** Starts following the task: an iterator nobody reads polls nothing and keeps nothing alive. */
  #start(): void {
    if (this.#state !== "new") return;
    this.#state = "open";
    const signal = this.#signal;
    if (signal?.aborted) {
      this.handleEvent();
      return;
    }
    // A listener on a signal of our own, not on the caller's: a thousand waits on one signal raise no MaxListeners warning.
    this.#signal = signal && follow(signal);
    this.#signal?.addEventListener("abort", this);
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) this.#timer = setTimeout(expire, timeoutMs, this);
    this.#poller = this.#poller.watch(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next status change; `done` after the end was read or after `return()`. */
  next(): Promise<IteratorResult<TaskSnapshot, undefined>> {
    this.#start();
    const snapshot = this.#buffer?.shift();
    if (snapshot) return Promise.resolve({ value: snapshot, done: false });
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      return Promise.reject(failure);
    }
    if (this.#state === "closed") return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.#pend(resolve, reject));
  }

  /**
   * @internal Takes every reading for `wait()`: hands each to `each` as it
   * comes, and resolves with `finish(the final reading)`. One promise for the
   * whole wait rather than one per reading. If `each` or `finish` throws, it
   * rejects with that error and stops following the task.
   */
  drain<T>(each: ((snapshot: TaskSnapshot) => void) | undefined, finish: (last: TaskSnapshot) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#each = each;
      this.#finish = finish;
      const buffered = this.#buffer ?? [];
      this.#buffer = undefined;
      this.#pend(resolve, reject);
      this.#start();
      for (const snapshot of buffered) this.#take(snapshot);
      const failure = this.#failure;
      if (failure !== undefined && this.#reject) {
        this.#failure = undefined;
        this.#answer(failure, true);
      }
    });
  }

  /** Stops following the task (what `break` in a `for await` loop calls). */
  return(): Promise<IteratorReturnResult<undefined>> {
    this.#close();
    this.#buffer = undefined;
    this.#failure = undefined;
    this.#answer(DONE);
    return Promise.resolve(DONE);
  }

  /** @internal A reading from the task's poller. */
  onSnapshot(snapshot: TaskSnapshot): void {
    if (this.#state === "closed" || snapshot.status === this.#lastStatus) return;
    this.#lastStatus = snapshot.status;
    if (isTerminal(snapshot.status)) this.#close();
    if (this.#finish) this.#take(snapshot);
    else if (!this.#answer({ value: snapshot, done: false })) {
      this.#buffer ??= [];
      this.#buffer.push(snapshot);
    }
  }

  /** @internal The error that ended the polling, an abort or the deadline. */
  onError(error: unknown): void {
    if (this.#state === "closed") return;
    this.#close();
    const failure = withTask(error, this.#task);
    if (!this.#answer(failure, true)) this.#failure = failure;
  }

  /** @internal The caller's signal aborted. */
  handleEvent(): void {
    this.onError(abortErrorFrom(this.#signal));
  }

  /** @internal The deadline passed. */
  expire(): void {
    this.onError(new WaitTimeoutError({ task: this.#task, timeoutMs: this.#timeoutMs ?? 0 }));
  }

  #pend(resolve: (value: never) => void, reject: (error: unknown) => void): void {
    this.#resolve = resolve as (value: unknown) => void;
    this.#reject = reject;
  }

  /** Draining: hands a reading to `each`, and ends with `finish` at the final one. */
  #take(snapshot: TaskSnapshot): void {
    try {
      this.#each?.(snapshot);
      if (isTerminal(snapshot.status)) this.#answer(this.#finish?.(snapshot));
    } catch (error) {
      this.#close();
      this.#answer(withTask(error, this.#task), true);
    }
  }

  /** Settles a pending `next()` or drain with `value`, or rejects it with `value` when `failed`; false when none waits. */
  #answer(value: unknown, failed = false): boolean {
    const settle = failed ? this.#reject : this.#resolve;
    if (!settle) return false;
    this.#resolve = this.#reject = undefined;
    settle(value);
    return true;
  }

  #close(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this);
    this.#poller.unwatch(this);
  }
}

/** A deadline timer's callback (a shared function: no closure per wait). */
function expire(updates: TaskUpdates): void {
  updates.expire();
}
