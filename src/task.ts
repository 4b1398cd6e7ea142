import { TaskFailedError, withTask } from "./core/errors.js";
import { checkMs } from "./core/limits.js";
import { type ResponsePromise, type WithResponse, responsePromise } from "./core/response-promise.js";
import type { TaskSnapshot } from "./core/task-data.js";
import type { RequestOptions } from "./core/transport.js";
import { type Poller, type TaskContext, type TaskOrigin, defaultWaitTimeout } from "./poller.js";
import { TaskUpdates } from "./task-updates.js";

/** Options of {@link Task.wait}. */
export interface WaitOptions {
  /** Give up after this many ms with a {@link WaitTimeoutError} (the task keeps running); `Infinity` waits for good. Defaults by type, see `defaultWaitTimeout`. */
  timeout?: number | undefined;
  /** Stop waiting: rejects with `AbortError`, which names the task (`taskId`, `task`). */
  signal?: AbortSignal | undefined;
  /** Called with each new status (pending → processing → success). If it throws, this wait rejects with that error; the task and other waits go on. */
  onProgress?: ((snapshot: TaskSnapshot) => void) | undefined;
}

/** The finished task's output. */
export interface TaskResult {
  /** Task id (the same name as `Task.id` and `TaskSnapshot.id`). */
  id: string;
  /** @deprecated The same as {@link TaskResult.id}. */
  taskId: string;
  /** Model slug (as submitted or retrieved, else as the API reports it). */
  model: string | undefined;
  /** The generated files (images, videos, audio). */
  resources: TaskSnapshot["resources"];
  /** When the files expire (`result_expires_at`); download them before. */
  expiresAt: Date | undefined;
  /** The task's raw `data`. */
  data: Record<string, unknown>;
}

/**
 * A handle on one generation task. Poll it with {@link Task.status}, wait for
 * its result with {@link Task.wait}, or follow it with {@link Task.updates}.
 * Every handle on the same id in one client shares one polling loop, so
 * waiting twice costs no extra requests.
 */
export class Task {
  /** The task id: store it to resume later with `client.tasks.retrieve(id)`. */
  readonly id: string;
  /** Model type (`t2i`, `i2v`, ...), when known. */
  readonly type: string | undefined;
  /** When the task was created, when known. */
  readonly createdAt: Date | undefined;

  readonly #context: TaskContext;
  #poller: Poller;

  /** @internal Use `client.tasks.retrieve(id)` or a namespace's `submit()`. */
  constructor(context: TaskContext, origin: TaskOrigin) {
    this.#context = context;
    this.#poller = context.pollers.for(context, origin);
    this.id = origin.id;
    this.type = origin.type ?? this.#poller.type;
    this.createdAt = origin.createdAt ?? this.#poller.createdAt;
  }

  /** Model slug: as submitted or retrieved, else as the task's readings report it. */
  get model(): string | undefined {
    return this.#poller.model;
  }

  /** The latest status reading, without a request. */
  get latest(): TaskSnapshot | undefined {
    return this.#live().latest;
  }

  /** When the results expire (`result_expires_at` of the latest reading), when known. */
  get expiresAt(): Date | undefined {
    return this.latest?.expiresAt;
  }

  /** Reads the task's current status once (`GET /tasks/{id}`). Errors carry `taskId`. */
  async status(options: RequestOptions = {}): Promise<TaskSnapshot> {
    try {
      return await this.#live().read(options);
    } catch (error) {
      throw withTask(error, this);
    }
  }

  /**
   * Polls until the task ends. Resolves with its result on `success`; rejects
   * with {@link TaskFailedError} on `failed`, {@link WaitTimeoutError} after
   * `timeout` (the task keeps running), or `AbortError` when `signal` aborts.
   * Every error names the task (`taskId`, `task`).
   */
  wait(options: WaitOptions = {}): Promise<TaskResult> {
    const timeoutMs = options.timeout ?? this.#defaultTimeout();
    try {
      checkMs("timeout", timeoutMs, { infinite: true });
    } catch (error) {
      return Promise.reject(error);
    }
    const updates = new TaskUpdates(this, this.#live(), { signal: options.signal, timeoutMs });
    // Errors name this task: the SDK's, and what onProgress threw (this wait alone fails).
    return updates.drain(options.onProgress, (last) => this.#settle(last));
  }

  /**
   * Follows the task: yields a reading each time the status changes, ending
   * after `success` or `failed` (yielded, not thrown). Breaking out of the loop
   * stops following; `signal` stops it with `AbortError`.
   */
  updates(options: { signal?: AbortSignal | undefined } = {}): TaskUpdates {
    return new TaskUpdates(this, this.#live(), { signal: options.signal });
  }

  /** A JSON view of the handle: id, type, model, createdAt and latest status. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, type: this.type, model: this.model, createdAt: this.createdAt?.toISOString(), status: this.latest?.status };
  }

  /** This id's live poller: this handle's own, put back if it was let go, or the one that replaced it. */
  #live(): Poller {
    this.#poller = this.#context.pollers.attach(this.#poller);
    return this.#poller;
  }

  #defaultTimeout(): number {
    const { waitTimeouts } = this.#context;
    const type = this.type ?? "";
    return (Object.hasOwn(waitTimeouts, type) ? waitTimeouts[type] : undefined) ?? defaultWaitTimeout(this.type);
  }

  /** The result of a finished task, or its {@link TaskFailedError} (naming this task). */
  #settle(snapshot: TaskSnapshot): TaskResult {
    if (snapshot.status === "success") {
      const { id, resources, expiresAt, data } = snapshot;
      return { id, taskId: id, model: this.model ?? snapshot.model, resources, expiresAt, data };
    }
    const { category, detail, code } = snapshot.error ?? { category: undefined, detail: "The task failed without a reason", code: undefined };
    const { redact } = this.#context.transport;
    throw withTask(new TaskFailedError({ taskId: this.id, category: category && redact(category), detail: redact(detail), code: code && redact(code) }), this);
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
