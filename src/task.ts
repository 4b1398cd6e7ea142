import { ModellixError, NotFoundError, TaskFailedError, WaitTimeoutError } from "./core/errors.js";
import { explainExpiry } from "./core/expiry.js";
import type { LevelledLogger } from "./core/logger.js";
import type { QuotaCoordinator } from "./core/limiter.js";
import { abortErrorFrom } from "./core/sleep.js";
import { type TaskSnapshot, isTerminal, parseTaskData } from "./core/task-data.js";
import type { RequestOptions, Transport } from "./core/transport.js";
import { pathOf } from "./core/path.js";

/** How often a task is polled: `initialMs` first, then growing by `factor` up to `maxMs`. */
export interface PollSchedule {
  /** Delay before the first poll of a new task, and the first interval (default 2000). */
  initialMs: number;
  /** Longest interval between polls (default 5000). */
  maxMs: number;
  /** Growth of the interval after each poll (default 1.5). */
  factor: number;
}

/** Why a poll loop was stopped: a plain reason, so stopping one costs no DOMException or stack trace. */
const loopStopped = Symbol("poll loop stopped");

const imageTypes: ReadonlySet<string> = new Set(["t2i", "i2i", "expansion"]);

/** The image figure for image types, else (video and unknown types) the video figure. */
function byKind(type: string | undefined, image: number, video: number): number {
  return type !== undefined && imageTypes.has(type) ? image : video;
}

/** The default `wait()` timeout of a model type: 3 minutes for image types, 10 minutes for video and unknown types. */
export function defaultWaitTimeout(type: string | undefined): number {
  return byKind(type, 180_000, 600_000);
}

/**
 * How long a quota slot stays taken when the SDK cannot tell whether its task
 * runs: `quotaHoldMs` if set, else about the longest a task of the type usually
 * takes (API: images 30–60 s, videos 60–120 s), so the team quota is not over-committed.
 */
export function quotaHoldFor(context: TaskContext, type: string | undefined): number {
  return context.quotaHoldMs ?? byKind(type, 60_000, 120_000);
}

/** What a Task needs from its client. */
export interface TaskContext {
  transport: Transport;
  quota: QuotaCoordinator;
  poll: PollSchedule;
  waitTimeouts: Partial<Record<string, number>>;
  logger: LevelledLogger;
  /** Overrides {@link quotaHoldFor}'s defaults. */
  quotaHoldMs?: number | undefined;
}

/** Options of {@link Task.wait}. */
export interface WaitOptions {
  /** Give up after this many ms with a {@link WaitTimeoutError} (the task keeps running). Defaults by type, see {@link defaultWaitTimeout}. */
  timeout?: number | undefined;
  /** Stop waiting (rejects with `AbortError`). */
  signal?: AbortSignal | undefined;
  /** Called with every new status reading. */
  onProgress?: ((snapshot: TaskSnapshot) => void) | undefined;
}

/** The finished task's output. */
export interface TaskResult {
  /** Task id. */
  taskId: string;
  /** Model slug (as submitted, or as the API reports it). */
  model: string | undefined;
  /** The generated files. */
  resources: TaskSnapshot["resources"];
  /** The task's raw `data`. */
  data: Record<string, unknown>;
}

/** How a Task came to be: submitted by this client (it holds a quota slot) or resumed by id. */
export interface TaskOrigin {
  id: string;
  type?: string | undefined;
  model?: string | undefined;
  /** When the task was created; tells an expired task from an unknown one. */
  createdAt?: Date | undefined;
  /** The quota slot the task holds until it ends. */
  slotId?: string | undefined;
}

interface PollLoop {
  controller: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

interface Watcher {
  onSnapshot(snapshot: TaskSnapshot): void;
  onError(error: ModellixError): void;
}

/**
 * A handle on one generation task. Poll it with {@link Task.status}, wait for
 * its result with {@link Task.wait}, or follow it with {@link Task.updates}.
 * All of them share one polling loop, so waiting twice costs no extra requests.
 */
export class Task {
  /** The task id: store it to resume later with `client.tasks.retrieve(id)`. */
  readonly id: string;
  /** Model type (`t2i`, `i2v`, ...), when known. */
  readonly type: string | undefined;
  /** Model slug, when known. */
  readonly model: string | undefined;
  /** When the task was created, when known. */
  readonly createdAt: Date | undefined;

  readonly #context: TaskContext;
  readonly #watchers = new Set<Watcher>();
  #slotId: string | undefined;
  #latest: TaskSnapshot | undefined;
  #loop: PollLoop | undefined;
  #polls = 0;

  /** @internal Use `client.tasks.retrieve(id)` or a namespace's `submit()`. */
  constructor(context: TaskContext, origin: TaskOrigin) {
    this.#context = context;
    this.id = origin.id;
    this.type = origin.type;
    this.model = origin.model;
    this.createdAt = origin.createdAt;
    this.#slotId = origin.slotId;
    if (this.#slotId) this.#startLoop();
  }

  /** The latest status reading, without a request. */
  get latest(): TaskSnapshot | undefined {
    return this.#latest;
  }

  /** Reads the task's current status once (`GET /tasks/{id}`). */
  async status(options: RequestOptions = {}): Promise<TaskSnapshot> {
    const snapshot = await this.#fetch(options);
    this.#publish(snapshot);
    return snapshot;
  }

  /**
   * Polls until the task ends. Resolves with its result on `success`; rejects
   * with {@link TaskFailedError} on `failed`, {@link WaitTimeoutError} after
   * `timeout` (the task keeps running), or `AbortError` when `signal` aborts.
   */
  wait(options: WaitOptions = {}): Promise<TaskResult> {
    return new Promise<TaskResult>((resolve, reject) => {
      const timeoutMs = options.timeout ?? this.#context.waitTimeouts[this.type ?? ""] ?? defaultWaitTimeout(this.type);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.#unwatch(watcher);
        settle();
      };
      const watcher: Watcher = {
        onSnapshot: (snapshot) => {
          options.onProgress?.(snapshot);
          if (snapshot.status === "success") finish(() => resolve(this.#result(snapshot)));
          if (snapshot.status === "failed") finish(() => reject(this.#failedError(snapshot)));
        },
        onError: (error) => finish(() => reject(error)),
      };
      const onAbort = () => finish(() => reject(abortErrorFrom(options.signal)));
      const timer = setTimeout(() => finish(() => reject(new WaitTimeoutError({ task: this, taskId: this.id, timeoutMs }))), timeoutMs);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#watch(watcher);
    });
  }

  /**
   * Yields a reading each time the status changes, ending after `success` or
   * `failed` (yielded, not thrown). Breaking out of the loop stops its polling.
   */
  async *updates(options: { signal?: AbortSignal | undefined } = {}): AsyncGenerator<TaskSnapshot, void, undefined> {
    const queue: TaskSnapshot[] = [];
    let error: ModellixError | undefined;
    let wake: (() => void) | undefined;
    let lastStatus: string | undefined;
    const watcher: Watcher = {
      onSnapshot: (snapshot) => {
        if (snapshot.status === lastStatus) return;
        lastStatus = snapshot.status;
        queue.push(snapshot);
        wake?.();
      },
      onError: (failure) => {
        error = failure;
        wake?.();
      },
    };
    const onAbort = () => {
      error = abortErrorFrom(options.signal);
      wake?.();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    this.#watch(watcher);
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          if (isTerminal(next.status)) return;
          continue;
        }
        if (error) throw error;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.#unwatch(watcher);
    }
  }

  /** A JSON view of the handle: id, type, model, createdAt and latest status. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, type: this.type, model: this.model, createdAt: this.createdAt?.toISOString(), status: this.#latest?.status };
  }

  #watch(watcher: Watcher): void {
    if (this.#latest && isTerminal(this.#latest.status)) {
      watcher.onSnapshot(this.#latest);
      return;
    }
    this.#watchers.add(watcher);
    if (this.#latest) watcher.onSnapshot(this.#latest);
    if (!this.#loop) this.#startLoop();
    else this.#loop.timer?.ref?.();
  }

  #unwatch(watcher: Watcher): void {
    this.#watchers.delete(watcher);
    if (this.#watchers.size > 0 || !this.#loop) return;
    if (this.#slotId) this.#loop.timer?.unref?.();
    else this.#loop.controller.abort(loopStopped);
  }

  #startLoop(): void {
    const loop: PollLoop = { controller: new AbortController() };
    this.#loop = loop;
    void this.#run(loop).finally(() => {
      if (this.#loop === loop) this.#loop = undefined;
    });
  }

  async #run(loop: PollLoop): Promise<void> {
    const { signal } = loop.controller;
    try {
      while (!signal.aborted) {
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            clearTimeout(loop.timer);
            resolve();
          };
          loop.timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          }, this.#nextDelay());
          if (this.#watchers.size === 0) loop.timer.unref?.();
          signal.addEventListener("abort", onAbort, { once: true });
        });
        if (signal.aborted) return;
        const snapshot = await this.#fetch({ signal });
        await this.#renewSlot();
        this.#publish(snapshot);
        if (isTerminal(snapshot.status)) return;
      }
    } catch (error) {
      if (signal.aborted) return;
      const failure = error instanceof ModellixError ? error : new ModellixError(String(error), { cause: error });
      this.#context.logger.log("warn", `stopped polling task ${this.id}: ${failure.message}`);
      // A task that is gone holds no quota; one that may still run keeps its slot for a while.
      this.#releaseSlot(failure instanceof NotFoundError ? undefined : quotaHoldFor(this.#context, this.type));
      for (const watcher of [...this.#watchers]) watcher.onError(failure);
    }
  }

  #nextDelay(): number {
    const { initialMs, maxMs, factor } = this.#context.poll;
    const polls = this.#polls++;
    if (polls === 0 && !this.#slotId && !this.#latest) return 0;
    const delay = Math.min(maxMs, initialMs * factor ** polls);
    // Submits waiting for this task's quota slot: notice its end within `initialMs`, not `maxMs`.
    return this.#slotId && (this.#context.quota.waiting ?? 0) > 0 ? Math.min(delay, initialMs) : delay;
  }

  async #fetch(options: RequestOptions): Promise<TaskSnapshot> {
    try {
      const response = await this.#context.transport.get(pathOf("tasks", this.id), options);
      return parseTaskData(response.data, this.id, this.#openFile);
    } catch (error) {
      throw explainExpiry(error, this.id, this.createdAt);
    }
  }

  /** Downloads one of this task's files; a 404 past the 24 h retention is a {@link TaskExpiredError}. */
  readonly #openFile = (url: string, options: RequestOptions): Promise<Response> =>
    this.#context.transport.download(url, options).catch((error: unknown) => {
      throw explainExpiry(error, this.id, this.createdAt);
    });

  #publish(snapshot: TaskSnapshot): void {
    if (snapshot.status !== this.#latest?.status) {
      const level = isTerminal(snapshot.status) ? "info" : "debug";
      this.#context.logger.log(level, `task ${this.id} is ${snapshot.status}`, { taskId: this.id, status: snapshot.status, model: this.model });
    }
    this.#latest = snapshot;
    if (isTerminal(snapshot.status)) {
      this.#releaseSlot();
      this.#loop?.controller.abort(loopStopped); // a reading from status() can end the task too: nothing is left to poll for
    }
    for (const watcher of [...this.#watchers]) watcher.onSnapshot(snapshot);
  }

  #releaseSlot(afterMs?: number): void {
    if (!this.#slotId) return;
    const slotId = this.#slotId;
    this.#slotId = undefined;
    void Promise.resolve(this.#context.quota.release(slotId, { afterMs })).catch((error: unknown) => {
      this.#context.logger.log("warn", `could not release quota slot of task ${this.id}`, { error: String(error) });
    });
  }

  /** Keeps the slot's lease alive; a coordinator that cannot be reached must not stop the polling. */
  async #renewSlot(): Promise<void> {
    if (!this.#slotId || !this.#context.quota.renew) return;
    try {
      await this.#context.quota.renew(this.#slotId);
    } catch (error) {
      this.#context.logger.log("warn", `could not renew the quota slot of task ${this.id}`, { error: String(error) });
    }
  }

  #result(snapshot: TaskSnapshot): TaskResult {
    return { taskId: snapshot.id, model: this.model ?? snapshot.model, resources: snapshot.resources, data: snapshot.data };
  }

  #failedError(snapshot: TaskSnapshot): TaskFailedError {
    const { category, detail, code } = snapshot.error ?? { category: undefined, detail: "The task failed without a reason", code: undefined };
    const { redact } = this.#context.transport;
    return new TaskFailedError({ taskId: this.id, category: category && redact(category), detail: redact(detail), code: code && redact(code) });
  }
}

/** A promise of a {@link Task} that can also `.wait()` directly: `await client.textToImage(input).wait()`. */
export interface TaskPromise extends Promise<Task> {
  /** Waits for the submitted task's result (see {@link Task.wait}). */
  wait(options?: WaitOptions): Promise<TaskResult>;
}

/** Adds `.wait()` to a promise of a Task. */
export function toTaskPromise(promise: Promise<Task>): TaskPromise {
  return Object.assign(promise, { wait: (options?: WaitOptions) => promise.then((task) => task.wait(options)) });
}
