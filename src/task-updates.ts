import { type TaskSnapshot, isTerminal } from "./core/task-data.js";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The readings of one task, as an async iterator (`task.updates()`): each
 * status change once and in order, ending after the final one (yielded, not
 * thrown). An error that ends the polling, an abort or a deadline rejects the
 * next `next()` once the readings before it were taken. Following starts at
 * the first `next()`; `return()` (what `break` calls) stops it at once.
 */
export class TaskUpdates implements AsyncIterableIterator<TaskSnapshot, undefined> {
  #start: ((updates: TaskUpdates) => () => void) | undefined;
  #stop: (() => void) | undefined;
  #closed = false;
  #lastStatus: string | undefined;
  /** Readings not taken yet, then maybe the error that ended them. */
  #items: Array<{ snapshot: TaskSnapshot } | { error: unknown }> = [];
  #waiting: { resolve: (result: IteratorResult<TaskSnapshot, undefined>) => void; reject: (error: unknown) => void } | undefined;

  /** @internal Use `task.updates()`. */
  constructor(start: (updates: TaskUpdates) => () => void) {
    this.#start = start;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next status change; `done` after the end was read or after `return()`. */
  next(): Promise<IteratorResult<TaskSnapshot, undefined>> {
    const start = this.#start;
    this.#start = undefined;
    if (start) this.#stop = start(this);
    if (this.#closed) this.#close(); // ended while starting: stop what the start set up
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#answer();
    });
  }

  /** Stops following the task (what `break` in a `for await` loop calls). */
  return(): Promise<IteratorReturnResult<undefined>> {
    this.#close();
    this.#items = [];
    this.#answer();
    return Promise.resolve(DONE);
  }

  /** @internal A reading of the task: kept if its status is new. */
  push(snapshot: TaskSnapshot): void {
    if (this.#closed || snapshot.status === this.#lastStatus) return;
    this.#lastStatus = snapshot.status;
    if (isTerminal(snapshot.status)) this.#close();
    this.#items.push({ snapshot });
    this.#answer();
  }

  /** @internal The error that ends the following. */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#close();
    this.#items.push({ error });
    this.#answer();
  }

  /** Settles a waiting `next()` with the first item, or `done` once closed. */
  #answer(): void {
    const waiting = this.#waiting;
    if (!waiting || (this.#items.length === 0 && !this.#closed)) return;
    this.#waiting = undefined;
    const item = this.#items.shift();
    if (!item) waiting.resolve(DONE);
    else if ("error" in item) waiting.reject(item.error);
    else waiting.resolve({ value: item.snapshot, done: false });
  }

  #close(): void {
    this.#closed = true;
    this.#stop?.();
    this.#stop = undefined;
  }
}
