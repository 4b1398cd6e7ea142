/**
 * What the jobs of one batch run share, and the types they pass around: the
 * options, the counts, each job and its result. Used by batch.ts and by the
 * journal (batch-journal.ts), which both import it and not each other.
 */
import { ModellixError, TaskFailedError } from "../core/errors.js";
import type { ClientContext } from "../context.js";
import type { TaskResult } from "../core/task-data.js";
import type { Task } from "../task.js";
import type { JournalStore } from "./journal.js";
import type { PreparedSubmit } from "./submit.js";

/** Counts of a running batch, reported to `onProgress` after every change. */
export interface BatchProgress {
  /** Items in the batch. */
  total: number;
  /** Items whose task was created (by this run, or by an earlier one and resumed). */
  submitted: number;
  /** Of `submitted`, the tasks an earlier run created, found in the journal and followed instead of submitted again. */
  resumed: number;
  /** Created tasks not yet ended. */
  running: number;
  /** Items that ended with a result. */
  succeeded: number;
  /** Items that ended with an error (at submit or while waiting). */
  failed: number;
}

/** Options of `client.batch()`. */
export interface BatchOptions {
  /** How many items are submitted or waited on at once (default: all; the team quota still bounds running tasks). */
  concurrency?: number | undefined;
  /** Called with the counts after every change. If it throws, the error is logged and the batch goes on. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Stops the batch: items not yet done end with `UserAbortError` (tasks already created keep running). */
  signal?: AbortSignal | undefined;
  /**
   * A write-ahead journal that makes the batch resumable: `fileJournal(path)`
   * or a `MemoryJournal` from `modellix/node`, or any {@link JournalStore}.
   * Before each paid POST the batch records the item's intent (and waits until
   * it is stored), after it the task id, then how the task ended. A rerun with
   * the same journal and items follows the tasks already created (by id)
   * instead of submitting them again, re-reads the finished ones, and reports
   * an item whose POST outcome was never recorded as `SubmitOutcomeUnknownError`.
   * Items are recognised by a hash of their type, model and input. The journal
   * holds no API key and no request body. Use one journal for one batch run at a time.
   */
  journal?: JournalStore | undefined;
  /**
   * With a journal: submit again the items whose earlier POST outcome is
   * unknown, instead of reporting them. Each may then exist, and be billed, twice.
   * Default false.
   */
  resubmitUnknown?: boolean | undefined;
}

/** How one item ended: its result, or its error (and its task, when one was created). `index` is its place in the input. */
export type BatchResult =
  | { index: number; ok: true; result: TaskResult; task: Task }
  | { index: number; ok: false; error: ModellixError; task: Task | undefined };

/** One validated item. @internal */
export interface BatchJob {
  index: number;
  type: string;
  prepared: PreparedSubmit;
}

/**
 * What the jobs of one run share: the client, the counts and the journal, and
 * the two ways a job ends (shared with the journal's resumed jobs). @internal
 */
export class BatchState {
  readonly counts: BatchProgress;

  constructor(
    readonly context: ClientContext,
    readonly options: BatchOptions,
    total: number,
    readonly journal: EndsJournal | undefined,
  ) {
    this.counts = { total, submitted: 0, resumed: 0, running: 0, succeeded: 0, failed: 0 };
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** Tells `onProgress`. A throwing onProgress is the caller's bug: it must not stop a batch whose tasks are already paid for. */
  report(): void {
    try {
      this.options.onProgress?.({ ...this.counts });
    } catch (error) {
      this.context.logger.log("warn", `batch onProgress threw: ${String(error)}`);
    }
  }

  /** Waits for a created task and journals how it ended (unless `recorded` already says so); never rejects. */
  async follow(job: BatchJob, task: Task, recorded?: "success" | "failed"): Promise<BatchResult> {
    const { index } = job;
    const result: BatchResult = await task.wait({ signal: this.signal }).then(
      (value) => ({ index, ok: true, result: value, task }),
      (error: unknown) => ({ index, ok: false, error: asModellixError(error), task }),
    );
    const ended = result.ok ? "success" : result.error instanceof TaskFailedError ? "failed" : undefined;
    if (ended !== undefined && ended !== recorded) await this.journal?.ended(job, task.id, ended);
    this.counts.running--;
    if (result.ok) this.counts.succeeded++;
    else this.counts.failed++;
    this.report();
    return result;
  }

  /** Ends an item that has no running task to wait for. */
  fail(job: BatchJob, error: unknown, task: Task | undefined): BatchResult {
    this.counts.failed++;
    this.report();
    return { index: job.index, ok: false, error: asModellixError(error), task };
  }
}

/** Where a batch with a journal writes how each of its tasks ended (the `BatchJournal` of batch-journal.ts). */
export interface EndsJournal {
  ended(job: BatchJob, taskId: string, status: "success" | "failed"): Promise<void>;
}

function asModellixError(error: unknown): ModellixError {
  return error instanceof ModellixError ? error : new ModellixError(error instanceof Error ? error.message : String(error), { cause: error });
}
