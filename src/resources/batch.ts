import { isRecord } from "../core/envelope.js";
import { ModellixError, TaskFailedError, ValidationError, type ValidationIssue } from "../core/errors.js";
import { countIssue } from "../core/limits.js";
import { onDemand } from "../core/on-demand.js";
import type { Namespace } from "../models/catalog.js";
import type { ClientContext } from "../context.js";
import type { TaskResult } from "../core/task-data.js";
import type { Task } from "../task.js";
import type { BatchJournal } from "./batch-journal.js";
import type { JournalStore } from "./journal.js";
import { type PreparedSubmit, loadValidation, prepareSubmit, sendPrepared, withUploads } from "./submit.js";

/**
 * One task of a batch: its `type` (a namespace code such as `"t2i"`, or any
 * type `client.run` takes), then the same input as that namespace's
 * `submit()`, checked the same way before anything is sent.
 */
export type BatchItem = { type: Namespace | (string & {}); model?: string; [field: string]: unknown };

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
  /** Stops the batch: items not yet done end with `AbortError` (tasks already created keep running). */
  signal?: AbortSignal | undefined;
  /**
   * A write-ahead journal that makes the batch resumable: `fileJournal(path)`
   * from `modellix/node`, a `MemoryJournal`, or any {@link JournalStore}.
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

/**
 * A running batch: await it for every result in input order, or iterate it
 * (`for await`) to get each result as it completes.
 */
export interface BatchRun extends Promise<BatchResult[]>, AsyncIterable<BatchResult> {}

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
    readonly journal: BatchJournal | undefined,
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

/** The journal code, loaded by the first batch that has a journal: a browser bundle carries it as a separate chunk. */
const loadJournal = onDemand(() => import("./batch-journal.js"));

/**
 * Validates every item (one {@link ValidationError} listing each bad field as
 * `index.field`, before anything is sent), reads the journal if there is one,
 * then submits the items under the team quota and waits for each. One item's
 * failure never stops the others.
 */
export function runBatch(context: ClientContext, items: readonly BatchItem[], options: BatchOptions = {}): BatchRun {
  const completed: BatchResult[] = [];
  let finished = false;
  let wake = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    const resolve = wake;
    changed = new Promise<void>((next) => (wake = next));
    resolve();
  };
  const run = (async () => {
    const jobs = await prepareItems(context, items, options);
    const journal = options.journal && (await (await loadJournal()).openBatchJournal(context, options.journal, jobs, options.resubmitUnknown === true));
    const state = new BatchState(context, options, jobs.length, journal);
    // With a journal, resumed tasks go first: they take their quota slots before any new submit does.
    const order = jobs.map((job) => job.index).sort((a, b) => (journal ? journal.rank(a) - journal.rank(b) : 0) || a - b);
    const results: BatchResult[] = [];
    let next = 0;
    const worker = async () => {
      for (let at = next++; at < order.length; at = next++) {
        const job = jobs[order[at] as number] as BatchJob;
        const result = await (journal?.resume(job, state) ?? submitJob(state, job));
        results[job.index] = result;
        completed.push(result);
        notify();
      }
    };
    state.report();
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? jobs.length, jobs.length) }, worker));
    return results;
  })().finally(() => {
    finished = true;
    notify();
  });
  run.catch(() => {});
  async function* iterate(): AsyncGenerator<BatchResult, void, undefined> {
    for (let seen = 0; ; ) {
      const result = completed[seen];
      if (result) {
        seen++;
        yield result;
      } else if (finished) {
        await run;
        return;
      } else await changed;
    }
  }
  return Object.assign(run, { [Symbol.asyncIterator]: iterate });
}

/** Validates the options and every item for its type and model, collecting the issues of all of them in input order. */
async function prepareItems(context: ClientContext, items: readonly unknown[], options: BatchOptions): Promise<BatchJob[]> {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(items)) throw new ValidationError([{ path: "", message: "must be an array of items" }], "batch items");
  const { concurrency, journal, resubmitUnknown } = options;
  const concurrencyIssue = countIssue("concurrency", concurrency, 1);
  if (concurrencyIssue) issues.push(concurrencyIssue);
  if (journal !== undefined && !(isRecord(journal) && typeof journal.append === "function" && typeof journal.read === "function")) {
    issues.push({ path: "journal", message: "must be a journal store { append(entry), read() }, e.g. fileJournal(path) from modellix/node" });
  }
  if (resubmitUnknown !== undefined && typeof resubmitUnknown !== "boolean") issues.push({ path: "resubmitUnknown", message: "must be true or false" });
  const itemIssues: ValidationIssue[][] = [];
  const jobs = await Promise.all(
    items.map(async (item, index): Promise<BatchJob | undefined> => {
      try {
        if (!isRecord(item) || typeof item.type !== "string") throw new ValidationError([{ path: "", message: "must be an object { type, model?, ...input }" }]);
        const { type, ...input } = item;
        return { index, type, prepared: await prepareSubmit(context, type, input, { runType: true }) };
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        itemIssues[index] = error.issues.map((issue) => ({ ...issue, path: issue.path ? `${index}.${issue.path}` : String(index) }));
        return undefined;
      }
    }),
  );
  // In input order, whichever item's check finished first.
  for (const found of itemIssues) if (found) issues.push(...found);
  if (issues.length > 0) throw new ValidationError(issues, "batch items");
  return jobs as BatchJob[];
}

/** Uploads the item's files, submits it (journaled, with a journal) and waits for it; never rejects. */
async function submitJob(state: BatchState, job: BatchJob): Promise<BatchResult> {
  const { context, signal, journal } = state;
  let task: Task;
  try {
    const { isBinary } = await loadValidation();
    const body = await withUploads(context.transport, job.prepared.body, isBinary, { signal });
    const send = async (beforeSend?: () => Promise<void>) =>
      (await sendPrepared(context, job.type, { model: job.prepared.model, body }, { signal }, beforeSend)).data;
    task = await (journal ? journal.submit(job, send) : send());
  } catch (error) {
    return state.fail(job, error, undefined);
  }
  state.counts.submitted++;
  state.counts.running++;
  state.report();
  return state.follow(job, task);
}

function asModellixError(error: unknown): ModellixError {
  return error instanceof ModellixError ? error : new ModellixError(error instanceof Error ? error.message : String(error), { cause: error });
}
