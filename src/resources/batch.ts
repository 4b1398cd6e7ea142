import { isRecord } from "../core/envelope.js";
import { ValidationError, type ValidationIssue } from "../core/errors.js";
import { countIssue } from "../core/limits.js";
import { onDemand } from "../core/on-demand.js";
import { isBinary } from "../models/binary.js";
import type { Namespace } from "../models/catalog.js";
import type { ClientContext } from "../context.js";
import type { Task } from "../task.js";
import type { BatchJournal } from "./batch-journal.js";
import { type BatchJob, type BatchOptions, type BatchResult, BatchState } from "./batch-state.js";
import { prepareSubmit, sendPrepared, withUploads } from "./submit.js";

/**
 * One task of a batch: its `type` (a namespace code such as `"t2i"`, or any
 * type `client.run` takes), then the same input as that namespace's
 * `submit()`, checked the same way before anything is sent.
 */
export type BatchItem = { type: Namespace | (string & {}); model?: string; [field: string]: unknown };

/**
 * A running batch: await it for every result in input order, or iterate it
 * (`for await`) to get each result as it completes.
 */
export interface BatchRun extends Promise<BatchResult[]>, AsyncIterable<BatchResult> {}

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
        const result = await (journal?.resume(job, state) ?? submitJob(state, job, journal));
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
async function submitJob(state: BatchState, job: BatchJob, journal: BatchJournal | undefined): Promise<BatchResult> {
  const { context, signal } = state;
  let task: Task;
  try {
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
