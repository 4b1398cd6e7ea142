import { NotFoundError, TaskExpiredError, TaskFailedError, WaitTimeoutError, withTask } from "./core/errors.js";
import { checkMs } from "./core/limits.js";
import { follow } from "./core/signals.js";
import { abortErrorFrom } from "./core/sleep.js";
import { type TaskHandle, type TaskResult, type TaskSnapshot, type WaitOptions, isTerminal } from "./core/task-data.js";
import type { RequestOptions } from "./core/transport.js";
import { type ClientContext, quotaHoldFor, waitTimeoutFor } from "./context.js";
import type { Poller, TaskInfo, Watcher } from "./poller.js";
import { TaskUpdates } from "./task-updates.js";

/** How a task handle came to be: {@link TaskInfo}, and the quota slot and answer of the submit that created it. */
export interface TaskOrigin extends TaskInfo {
  /** The quota slot the task holds until it ends. */
  slotId?: string | undefined;
  /** The submit's answer (`data`): the task's first reading, `pending`, which `wait({ onProgress })` and `updates()` start with. */
  submitted?: Record<string, unknown> | undefined;
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
  readonly #webhook: boolean | undefined;
  #model: string | undefined;
  #latest: TaskSnapshot | undefined;

  /** @internal Use `client.tasks.retrieve(id)` or a namespace's `submit()`. */
  constructor(context: ClientContext, origin: TaskOrigin) {
    this.#context = context;
    this.id = origin.id;
    this.type = origin.type;
    this.createdAt = origin.createdAt;
    this.#model = origin.model;
    this.#webhook = origin.webhook;
    if (origin.submitted) this.#latest = submittedReading(origin.id, origin.model, origin.submitted);
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
   * after `timeout` (the task keeps running), or `UserAbortError` when `signal`
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
   * of the loop stops following; `signal` stops it with `UserAbortError`.
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
    return this.#context.pollers.of({ id: this.id, type: this.type, model: this.#model, createdAt: this.createdAt, webhook: this.#webhook });
  }

  /** Keeps what a reading tells of the task, for after its poller is gone. */
  #see(snapshot: TaskSnapshot, poller: Poller): TaskSnapshot {
    this.#latest = snapshot;
    this.#model ??= poller.model;
    return snapshot;
  }

  /**
   * Readings from the live poller, from the first `next()` on, until the end,
   * `signal` or `timeoutMs`. A task seen finished answers from that reading,
   * or with `TaskExpiredError` once its results are gone.
   */
  #follow(signal: AbortSignal | undefined, timeoutMs: number): TaskUpdates {
    return new TaskUpdates((updates) => {
      const fail = (error: unknown) => updates.fail(withTask(error, this));
      const poller = this.#poller();
      const watcher: Watcher = { onSnapshot: (snapshot) => updates.push(this.#see(snapshot, poller)), onError: fail };
      // A listener on a signal of our own, not on the caller's: a thousand waits on one signal raise no MaxListeners warning.
      const aborted = signal && follow(signal);
      const onAbort = () => fail(abortErrorFrom(signal));
      aborted?.addEventListener("abort", onAbort, { once: true });
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => fail(new WaitTimeoutError({ task: this, timeoutMs })), timeoutMs) : undefined;
      const last = this.#latest;
      const expiresAt = last && isTerminal(last.status) ? last.expiresAt : undefined;
      if (signal?.aborted) onAbort();
      else if (expiresAt && Date.now() >= expiresAt.getTime()) fail(new TaskExpiredError({ status: 404, message: "Not Found: the task's results expired", taskId: this.id, expiresAt }));
      else if (last && isTerminal(last.status)) updates.push(last);
      else {
        // The status known so far first (the submit's `pending`, before any poll), then each new one.
        const known = poller.latest ?? last;
        if (known) updates.push(this.#see(known, poller));
        poller.watch(watcher);
      }
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

/** The reading a submit's answer gives: `pending`, the status of every new task, with the answer as its data. */
function submittedReading(id: string, model: string | undefined, data: Record<string, unknown>): TaskSnapshot {
  return { id, status: "pending", rawStatus: "pending", model, resources: [], error: undefined, expiresAt: undefined, runTimeMs: undefined, data };
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

export type { TaskUpdates };
