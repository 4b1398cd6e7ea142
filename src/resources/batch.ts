import { isRecord } from "../core/envelope.js";
import { ModellixError, ValidationError, type ValidationIssue } from "../core/errors.js";
import type { Namespace } from "../models/catalog.js";
import type { TaskContext } from "../poller.js";
import type { Task, TaskResult } from "../task.js";
import { type PreparedSubmit, prepareSubmit, sendPrepared } from "./submit.js";

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
  /** Items whose task was created. */
  submitted: number;
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
  /** Called with the counts after every change. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Stops the batch: items not yet done end with `AbortError` (tasks already created keep running). */
  signal?: AbortSignal | undefined;
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

interface Job {
  type: string;
  prepared: PreparedSubmit;
}

/**
 * Validates every item (one {@link ValidationError} listing each bad field as
 * `index.field`, before anything is sent), then submits the items under the
 * team quota and waits for each. One item's failure never stops the others.
 */
export function runBatch(context: TaskContext, items: readonly BatchItem[], options: BatchOptions = {}): BatchRun {
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
    const jobs = await prepareItems(context, items, options.concurrency);
    const counts: BatchProgress = { total: jobs.length, submitted: 0, running: 0, succeeded: 0, failed: 0 };
    // A throwing onProgress is the caller's bug: it must not stop a batch whose tasks are already paid for.
    const report = () => {
      try {
        options.onProgress?.({ ...counts });
      } catch (error) {
        context.logger.log("warn", `batch onProgress threw: ${String(error)}`);
      }
    };
    const results: BatchResult[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < jobs.length; index = next++) {
        const job = jobs[index] as Job;
        const result = await runJob(context, job, index, counts, report, options.signal);
        results[index] = result;
        completed.push(result);
        notify();
      }
    };
    report();
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

/** Validates every item for its type and model, collecting the issues of all of them. */
async function prepareItems(context: TaskContext, items: readonly unknown[], concurrency: number | undefined): Promise<Job[]> {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(items)) throw new ValidationError([{ path: "", message: "must be an array of items" }], "batch items");
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    issues.push({ path: "concurrency", message: "must be a whole number, 1 or more" });
  }
  const jobs = await Promise.all(items.map(async (item, index): Promise<Job | undefined> => {
    try {
      if (!isRecord(item) || typeof item.type !== "string") throw new ValidationError([{ path: "", message: "must be an object { type, model?, ...input }" }]);
      const { type, ...input } = item;
      return { type, prepared: await prepareSubmit(context, type, input) };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) issues.push({ ...issue, path: issue.path ? `${index}.${issue.path}` : String(index) });
      return undefined;
    }
  }));
  if (issues.length > 0) throw new ValidationError(issues, "batch items");
  return jobs as Job[];
}

/** Submits one item and waits for it, keeping the counts; never rejects. */
async function runJob(
  context: TaskContext,
  job: Job,
  index: number,
  counts: BatchProgress,
  report: () => void,
  signal: AbortSignal | undefined,
): Promise<BatchResult> {
  let task: Task;
  try {
    task = (await sendPrepared(context, job.type, job.prepared, { signal })).data;
  } catch (error) {
    counts.failed++;
    report();
    return { index, ok: false, error: asModellixError(error), task: undefined };
  }
  counts.submitted++;
  counts.running++;
  report();
  const result: BatchResult = await task.wait({ signal }).then(
    (value) => ({ index, ok: true, result: value, task }),
    (error: unknown) => ({ index, ok: false, error: asModellixError(error), task }),
  );
  counts.running--;
  if (result.ok) counts.succeeded++;
  else counts.failed++;
  report();
  return result;
}

function asModellixError(error: unknown): ModellixError {
  return error instanceof ModellixError ? error : new ModellixError(error instanceof Error ? error.message : String(error), { cause: error });
}
