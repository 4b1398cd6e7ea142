import { NotFoundError, TaskExpiredError, TaskFailedError, WaitTimeoutError, withTask } from "./core/errors.js";
import { checkMs } from "./core/limits.js";
import { type ResponsePromise, type WithResponse, responsePromise } from "./core/response-promise.js";
import { follow } from "./core/signals.js";
import { abortErrorFrom } from "./core/sleep.js";
import { type TaskHandle, type TaskResult, type TaskSnapshot, type WaitOptions, isTerminal } from "./core/task-data.js";
import type { RequestOptions } from "./core/transport.js";
import { type ClientContext, quotaHoldFor, waitTimeoutFor } from "./context.js";
import type { Poller, TaskInfo, Watcher } from "./poller.js";

/** How a task handle came to be: {@link TaskInfo}, and the quota slot of the submit that created it. */
export interface TaskOrigin extends TaskInfo {
  /** The quota slot the task holds until it ends. */
  slotId?: string | undefined;
}

/**
 * A handle on one generation task. Poll it with {@link Task.status}, wait for
 * its result with {@link Task.wait}, or follow it with {@link Task.updates}.
 * Every handle on the same id in one client shares one polling loop, so
 * waiting twice costs no extra requests.
 */
export class Task implements TaskHandle {
  /** The task id: store it to resume later with `client.tasks.retrieve(id)`. */
  readonly id: string;
  /** Model type (`t2i`, `i2v`, ...), when known. */
  readonly type: string | undefined;
  /** When the task was created, when known. */
  readonly createdAt: Date | undefined;
  readonly #context: ClientContext;
  #model: string | undefined;
  #latest: TaskSnapshot | undefined;

  /** @internal Use `client.tasks.retrieve(id)` or a namespace's `submit()`. */
  constructor(context: ClientContext, origin: TaskOrigin) {
    this.#context = context;
    this.id = origin.id;
    this.type = origin.type;
    this.createdAt = origin.createdAt;
    this.#model = origin.model;
    if (origin.slotId) {
      const poller = this.#poller();
      poller.watch(slotHolder(context, this, origin.slotId, (snapshot) => this.#see(snapshot, poller)));
    }
  }

  /** Model slug: as submitted or retrieved, else as the task's readings report it. */
  get model(): string | undefined {
    return this.#model ?? this.#context.pollers.peek(this.id)?.model ?? this.#latest?.model;
  }

  /** The latest status reading, without a request. */
  get latest(): TaskSnapshot | undefined {
    return this.#context.pollers.peek(this.id)?.latest ?? this.#latest;
  }

  /** When the results expire (`result_expires_at` of the latest reading), when known. */
  get expiresAt(): Date | undefined {
    return this.latest?.expiresAt;
  }

  /** Reads the task's current status once (`GET /tasks/{id}`). Errors carry `taskId`. */
  async status(options: RequestOptions = {}): Promise<TaskSnapshot> {
    const poller = this.#poller();
    try {
      return this.#see(await poller.read(options), poller);
    } catch (error) {
      throw withTask(error, this);
    }
  }

  /**
   * Polls until the task ends. Resolves with its result on `success`; rejects
   * with {@link TaskFailedError} on `failed` or `canceled`, {@link WaitTimeoutError}
   * after `timeout` (the task keeps running), or `AbortError` when `signal`
   * aborts. Every error names the task (`taskId`, `task`).
   */
  async wait(options: WaitOptions = {}): Promise<TaskResult> {
    const timeoutMs = options.timeout ?? waitTimeoutFor(this.#context, this.type);
    try {
      checkMs("timeout", timeoutMs, { infinite: true });
      let last: TaskSnapshot | undefined;
      for await (last of this.#follow(options.signal, timeoutMs)) options.onProgress?.(last);
      return this.#settle(last as TaskSnapshot);
    } catch (error) {
      throw withTask(error, this);
    }
  }

  /**
   * Follows the task: yields a reading each time the status changes, ending
   * after `success`, `failed` or `canceled` (yielded, not thrown). Breaking out
   * of the loop stops following; `signal` stops it with `AbortError`.
   */
  updates(options: { signal?: AbortSignal | undefined } = {}): TaskUpdates {
    return this.#follow(options.signal, Number.POSITIVE_INFINITY);
  }

  /** A JSON view of the handle: id, type, model, createdAt and latest status. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, type: this.type, model: this.model, createdAt: this.createdAt?.toISOString(), status: this.latest?.status };
  }

  /** This id's live poller, from the client's registry. */
  #poller(): Poller {
    return this.#context.pollers.of({ id: this.id, type: this.type, model: this.#model, createdAt: this.createdAt });
  }

  /** Keeps what a reading tells of the task, for after its poller is gone. */
  #see(snapshot: TaskSnapshot, poller: Poller): TaskSnapshot {
    this.#latest = snapshot;
    this.#model ??= poller.model;
    return snapshot;
  }

  /** Readings from the live poller, starting at the first `next()`; ends on `signal` or after `timeoutMs`. */
  #follow(signal: AbortSignal | undefined, timeoutMs: number): TaskUpdates {
    return new TaskUpdates((updates) => {
      const fail = (error: unknown) => updates.fail(withTask(error, this));
      const last = this.#latest;
      if (last && isTerminal(last.status) && last.expiresAt && Date.now() >= last.expiresAt.getTime()) {
        fail(new TaskExpiredError({ status: 404, message: "Not Found: the task's results expired", taskId: this.id, expiresAt: last.expiresAt }));
        return () => undefined;
      }
      if (signal?.aborted) {
        fail(abortErrorFrom(signal));
        return () => undefined;
      }
      const poller = this.#poller();
      const watcher: Watcher = { onSnapshot: (snapshot) => updates.push(this.#see(snapshot, poller)), onError: fail };
      // A listener on a signal of our own, not on the caller's: a thousand waits on one signal raise no MaxListeners warning.
      const aborted = signal && follow(signal);
      const onAbort = () => fail(abortErrorFrom(signal));
      aborted?.addEventListener("abort", onAbort, { once: true });
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => fail(new WaitTimeoutError({ task: this, timeoutMs })), timeoutMs) : undefined;
      if (last && isTerminal(last.status)) updates.push(last);
      else poller.watch(watcher);
      return () => {
        clearTimeout(timer);
        aborted?.removeEventListener("abort", onAbort);
        poller.unwatch(watcher);
      };
    });
  }

  /** The result of a finished task, or its {@link TaskFailedError}. */
  #settle(snapshot: TaskSnapshot): TaskResult {
    if (snapshot.status === "success") {
      const { id, resources, expiresAt, data } = snapshot;
      return { id, model: this.model ?? snapshot.model, resources, expiresAt, data };
    }
    const { category, detail, code } = snapshot.error ?? { category: undefined, detail: "The task failed without a reason", code: undefined };
    const { redact } = this.#context.transport;
    const status = snapshot.status === "canceled" ? "canceled" : "failed";
    throw new TaskFailedError({ taskId: this.id, status, category: category && redact(category), detail: redact(detail), code: code && redact(code) });
  }
}

/** The quota slot of a submit, held until the task it created ends, whoever else follows that task. */
function slotHolder(context: ClientContext, task: Task, slotId: string, see: (snapshot: TaskSnapshot) => void): Watcher {
  const { queue, logger } = context;
  const warn = (what: string) => (error: unknown) => logger.log("warn", `could not ${what} the quota slot of task ${task.id}`, { taskId: task.id, error: String(error) });
  const release = (afterMs?: number) => void Promise.resolve().then(() => queue.release(slotId, { afterMs })).catch(warn("release"));
  return {
    holdsSlot: true,
    onSnapshot(snapshot) {
      see(snapshot);
      if (isTerminal(snapshot.status)) release();
      else void Promise.resolve().then(() => queue.renew(slotId)).catch(warn("renew"));
    },
    // A task that is gone holds no quota; one that may still run keeps its slot a while.
    onError: (error) => release(error instanceof NotFoundError ? undefined : quotaHoldFor(context, task.type)),
  };
}

/** A `next()` waiting for a reading. */
interface Waiting {
  resolve(result: IteratorResult<TaskSnapshot, undefined>): void;
  reject(error: unknown): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The readings of one task, as an async iterator (`task.updates()`): each
 * status change once and in order, ending after the final one (yielded, not
 * thrown). An error that ends the polling, an abort or a deadline rejects the
 * next `next()` once the readings before it were taken. Following starts at
 * the first `next()`; `return()` (what `break` calls) stops it at once.
 */
export class TaskUpdates implements AsyncIterableIterator<TaskSnapshot, undefined> {
  readonly #start: (updates: TaskUpdates) => () => void;
  #stop: (() => void) | undefined;
  #state: "new" | "open" | "closed" = "new";
  #buffer: TaskSnapshot[] = [];
  #failure: unknown;
  #lastStatus: string | undefined;
  #waiting: Waiting | undefined;

  /** @internal Use `task.updates()`. */
  constructor(start: (updates: TaskUpdates) => () => void) {
    this.#start = start;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next status change; `done` after the end was read or after `return()`. */
  next(): Promise<IteratorResult<TaskSnapshot, undefined>> {
    if (this.#state === "new") {
      this.#state = "open";
      const stop = this.#start(this);
      if ((this.#state as string) === "closed") stop();
      else this.#stop = stop;
    }
    const snapshot = this.#buffer.shift();
    if (snapshot) return Promise.resolve({ value: snapshot, done: false });
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    if (this.#state === "closed") return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Stops following the task (what `break` in a `for await` loop calls). */
  return(): Promise<IteratorReturnResult<undefined>> {
    this.#close();
    this.#buffer = [];
    this.#failure = undefined;
    this.#take()?.resolve(DONE);
    return Promise.resolve(DONE);
  }

  /** @internal A reading of the task: kept if its status is new. */
  push(snapshot: TaskSnapshot): void {
    if (this.#state === "closed" || snapshot.status === this.#lastStatus) return;
    this.#lastStatus = snapshot.status;
    if (isTerminal(snapshot.status)) this.#close();
    const waiting = this.#take();
    if (waiting) waiting.resolve({ value: snapshot, done: false });
    else this.#buffer.push(snapshot);
  }

  /** @internal The error that ends the following. */
  fail(error: unknown): void {
    if (this.#state === "closed") return;
    this.#close();
    const waiting = this.#take();
    if (waiting) waiting.reject(error);
    else this.#failure = error;
  }

  #take(): Waiting | undefined {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    return waiting;
  }

  #close(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#stop?.();
    this.#stop = undefined;
  }
}

/** A promise of a submitted {@link Task} that can also `.wait()` for its result, and give the submit's HTTP response. */
export interface TaskPromise extends ResponsePromise<Task> {
  /** Waits for the submitted task's result (see {@link Task.wait}). */
  wait(options?: WaitOptions): Promise<TaskResult>;
}

/** Wraps a submit's `{ data: task, response }` as a {@link TaskPromise}. */
export function toTaskPromise(submit: Promise<WithResponse<Task>>): TaskPromise {
  return responsePromise(submit, (task) => ({ wait: (options?: WaitOptions) => task.then((handle) => handle.wait(options)) }));
}
