import { isRecord } from "../core/envelope.js";
import {
  APIError,
  AbortError,
  ModellixError,
  type SubmitOutcomeReason,
  SubmitOutcomeUnknownError,
  TaskFailedError,
  ValidationError,
  type ValidationIssue,
} from "../core/errors.js";
import type { TaskQueue } from "../core/quota.js";
import type { Namespace } from "../models/catalog.js";
import { type TaskContext, type TaskOrigin, quotaHoldFor } from "../poller.js";
import { Task, type TaskResult } from "../task.js";
import { uploadInputFiles } from "./files.js";
import { type JournalEntry, type JournalStore, type JournalTask, bufferStreams, foldJournal, journalKeys, readJournal } from "./journal.js";
import { type PreparedSubmit, loadValidation, prepareSubmit, sendPrepared } from "./submit.js";

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
   * from `modellix/node`, {@link MemoryJournal}, or any {@link JournalStore}.
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

interface Job {
  index: number;
  type: string;
  prepared: PreparedSubmit;
  /** The item's journal key (with a journal only). */
  key: string;
}

/** What a job does, from the journal: submit, follow a task an earlier run created, or report an unknown outcome. */
type Step =
  | { kind: "submit" }
  | { kind: "resume"; taskId: string; createdAt: Date; ended: "success" | "failed" | undefined }
  | { kind: "unknown"; attempt: JournalTask };

/** What every job of one run shares. */
interface Run {
  context: TaskContext;
  counts: BatchProgress;
  report: () => void;
  signal: AbortSignal | undefined;
  recorder: Recorder | undefined;
}

/**
 * Validates every item (one {@link ValidationError} listing each bad field as
 * `index.field`, before anything is sent), reads the journal if there is one,
 * then submits the items under the team quota and waits for each. One item's
 * failure never stops the others.
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
    const jobs = await prepareItems(context, items, options);
    const steps = options.journal ? await planFromJournal(options.journal, jobs, options.resubmitUnknown === true) : jobs.map((): Step => ({ kind: "submit" }));
    const counts: BatchProgress = { total: jobs.length, submitted: 0, resumed: 0, running: 0, succeeded: 0, failed: 0 };
    // A throwing onProgress is the caller's bug: it must not stop a batch whose tasks are already paid for.
    const report = () => {
      try {
        options.onProgress?.({ ...counts });
      } catch (error) {
        context.logger.log("warn", `batch onProgress threw: ${String(error)}`);
      }
    };
    const state: Run = { context, counts, report, signal: options.signal, recorder: options.journal && new Recorder(options.journal, context) };
    // Resumed tasks go first: they already run at the server, so they take their quota slots before any new submit does.
    const rank = { resume: 0, unknown: 1, submit: 2 } as const;
    const order = jobs.map((job) => job.index).sort((a, b) => rank[(steps[a] as Step).kind] - rank[(steps[b] as Step).kind] || a - b);
    const results: BatchResult[] = [];
    let next = 0;
    const worker = async () => {
      for (let at = next++; at < order.length; at = next++) {
        const index = order[at] as number;
        const result = await runJob(state, jobs[index] as Job, steps[index] as Step);
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

/** Validates the options and every item for its type and model, collecting the issues of all of them. */
async function prepareItems(context: TaskContext, items: readonly unknown[], options: BatchOptions): Promise<Job[]> {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(items)) throw new ValidationError([{ path: "", message: "must be an array of items" }], "batch items");
  const { concurrency, journal, resubmitUnknown } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    issues.push({ path: "concurrency", message: "must be a whole number, 1 or more" });
  }
  if (journal !== undefined && !(isRecord(journal) && typeof journal.append === "function" && typeof journal.read === "function")) {
    issues.push({ path: "journal", message: "must be a journal store { append(entry), read() }, e.g. fileJournal(path) from modellix/node" });
  }
  if (resubmitUnknown !== undefined && typeof resubmitUnknown !== "boolean") issues.push({ path: "resubmitUnknown", message: "must be true or false" });
  const itemIssues: ValidationIssue[][] = [];
  const jobs = await Promise.all(
    items.map(async (item, index): Promise<Job | undefined> => {
      try {
        if (!isRecord(item) || typeof item.type !== "string") throw new ValidationError([{ path: "", message: "must be an object { type, model?, ...input }" }]);
        const { type, ...input } = item;
        return { index, type, prepared: await prepareSubmit(context, type, input), key: "" };
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
  return jobs as Job[];
}

/**
 * Gives every job its key and reads the journal: before the first POST, so a
 * journal that cannot be read, or an input that cannot be hashed, sends nothing.
 */
async function planFromJournal(store: JournalStore, jobs: Job[], resubmitUnknown: boolean): Promise<Step[]> {
  for (const job of jobs) job.prepared = { model: job.prepared.model, body: await bufferStreams(job.prepared.body) };
  const keys = await journalKeys(jobs.map((job) => ({ type: job.type, model: job.prepared.model, body: job.prepared.body })));
  for (const [index, job] of jobs.entries()) job.key = keys[index] as string;
  let entries: JournalEntry[];
  try {
    entries = await readJournal(store);
  } catch (error) {
    throw new ModellixError(`Could not read the batch journal: ${describe(error)}. Nothing was sent.`, { cause: error });
  }
  const latest = new Map<string, JournalTask>();
  for (const attempt of foldJournal(entries)) latest.set(attempt.key, attempt);
  return jobs.map((job) => stepFor(latest.get(job.key), resubmitUnknown));
}

/** What to do with an item, given its latest attempt in the journal. */
function stepFor(attempt: JournalTask | undefined, resubmitUnknown: boolean): Step {
  if (!attempt || attempt.state === "not_created") return { kind: "submit" };
  if (attempt.taskId !== undefined) {
    const ended = attempt.state === "success" || attempt.state === "failed" ? attempt.state : undefined;
    return { kind: "resume", taskId: attempt.taskId, createdAt: attempt.submittedAt, ended };
  }
  return resubmitUnknown ? { kind: "submit" } : { kind: "unknown", attempt };
}

function runJob(run: Run, job: Job, step: Step): Promise<BatchResult> {
  switch (step.kind) {
    case "resume":
      return resumeJob(run, job, step);
    case "unknown":
      return unknownJob(run, job, step.attempt);
    default:
      return submitJob(run, job);
  }
}

/** Uploads the item's files, then submits it (journaling the intent once its quota slot is granted) and waits for it; never rejects. */
async function submitJob(run: Run, job: Job): Promise<BatchResult> {
  const { context, signal, recorder } = run;
  let intentWritten = false;
  let task: Task;
  try {
    const { isBinary } = await loadValidation();
    const body = await uploadInputFiles(context.transport, job.prepared.body, isBinary, { signal });
    const submitContext = recorder
      ? withBeforeSend(context, async () => {
          await recorder.write(job, { event: "intent" });
          intentWritten = true;
        })
      : context;
    task = (await sendPrepared(submitContext, job.type, { model: job.prepared.model, body }, { signal })).data;
  } catch (error) {
    if (intentWritten) await recorder?.note(job, outcomeOf(error));
    return fail(run, job, error, undefined);
  }
  await recorder?.note(job, { event: "created", taskId: task.id });
  run.counts.submitted++;
  run.counts.running++;
  run.report();
  return follow(run, job, task, undefined);
}

/**
 * Follows a task an earlier run created. One that had not ended when last
 * recorded takes a quota slot first (it still counts against the team quota):
 * its poller gives the slot back when the task ends.
 */
async function resumeJob(run: Run, job: Job, step: Extract<Step, { kind: "resume" }>): Promise<BatchResult> {
  const { context, counts, signal } = run;
  const origin: TaskOrigin = { id: step.taskId, type: job.type, model: job.prepared.model, createdAt: step.createdAt };
  const slotId = step.ended ? undefined : newSlotId();
  // Asked for before any await, so that resumed tasks queue for slots ahead of new submits.
  const slot = slotId === undefined ? undefined : context.queue.acquire(slotId, signal);
  counts.submitted++;
  counts.resumed++;
  counts.running++;
  run.report();
  if (slot === undefined || slotId === undefined) return follow(run, job, new Task(context, origin), step.ended);
  try {
    await slot;
  } catch (error) {
    counts.running--;
    return fail(run, job, error, new Task(context, origin));
  }
  const result = await follow(run, job, new Task(context, { ...origin, slotId }), undefined);
  // The poller already gave the slot back if it saw the end (then this does nothing); otherwise it is kept a while, as for any task whose state is unknown.
  const ended = result.ok || result.error instanceof TaskFailedError;
  Promise.resolve()
    .then(() => context.queue.release(slotId, { afterMs: ended ? undefined : quotaHoldFor(context, job.type) }))
    .catch((error: unknown) => context.logger.log("warn", `could not release the quota slot of task ${step.taskId}`, { taskId: step.taskId, error: String(error) }));
  return result;
}

/**
 * Reports an item whose earlier POST outcome the journal never got, without
 * sending anything. A task it may have created counts against the team quota
 * for a while: a slot stays taken until the usual hold after that POST is over.
 */
async function unknownJob(run: Run, job: Job, attempt: JournalTask): Promise<BatchResult> {
  holdSlotUntil(run, job, attempt.submittedAt.getTime() + quotaHoldFor(run.context, job.type));
  if (attempt.state === "submitting") await run.recorder?.note(job, { event: "unknown", reason: "interrupted" });
  const reason: SubmitOutcomeReason = attempt.reason !== undefined && Object.hasOwn(outcomeReasons, attempt.reason) ? (attempt.reason as SubmitOutcomeReason) : "aborted";
  const cause = new ModellixError(
    `The batch journal has this item's submit of ${attempt.submittedAt.toISOString()} but not its outcome, so it was not sent again. ` +
      "Pass resubmitUnknown: true to submit it anyway.",
  );
  const error = new SubmitOutcomeUnknownError({ reason, attempt: 1, type: job.type, model: job.prepared.model, sentAt: attempt.submittedAt, cause });
  return fail(run, job, error, undefined);
}

/** Takes a quota slot (when one is free, without waiting for it) and keeps it until `until` (epoch ms); nothing if that is past. */
function holdSlotUntil(run: Run, job: Job, until: number): void {
  const { context, signal } = run;
  if (until <= Date.now()) return;
  const slotId = newSlotId();
  context.queue
    .acquire(slotId, signal)
    .then(() => context.queue.release(slotId, { afterMs: Math.max(0, until - Date.now()) }))
    .catch((error: unknown) => {
      if (!(error instanceof AbortError)) {
        context.logger.log("warn", `could not hold a quota slot for batch item ${job.index}: ${describe(error)}`);
      }
    });
}

/** Waits for a task, journals how it ended (unless the journal has it already) and keeps the counts; never rejects. */
async function follow(run: Run, job: Job, task: Task, recorded: "success" | "failed" | undefined): Promise<BatchResult> {
  const { index } = job;
  const result: BatchResult = await task.wait({ signal: run.signal }).then(
    (value) => ({ index, ok: true, result: value, task }),
    (error: unknown) => ({ index, ok: false, error: asModellixError(error), task }),
  );
  const ended = result.ok ? "success" : result.error instanceof TaskFailedError ? "failed" : undefined;
  if (ended !== undefined && ended !== recorded) await run.recorder?.note(job, { event: "ended", taskId: task.id, status: ended });
  run.counts.running--;
  if (result.ok) run.counts.succeeded++;
  else run.counts.failed++;
  run.report();
  return result;
}

function fail(run: Run, job: Job, error: unknown, task: Task | undefined): BatchResult {
  run.counts.failed++;
  run.report();
  return { index: job.index, ok: false, error: asModellixError(error), task };
}

/** The journal entry for a submit that threw after its intent was recorded. */
function outcomeOf(error: unknown): EntryFields {
  if (error instanceof SubmitOutcomeUnknownError) return { event: "unknown", reason: error.reason };
  if (error instanceof ModellixError) return { event: "not_created", error: error.name, status: error instanceof APIError ? error.status : undefined };
  return { event: "unknown", reason: "unexpected_error" };
}

/** Every {@link SubmitOutcomeReason}, to read one back from the journal. */
const outcomeReasons: Record<SubmitOutcomeReason, true> = {
  server_error: true,
  timeout: true,
  connection_lost: true,
  unreadable_response: true,
  aborted: true,
  redirected: true,
};

/** An entry's own fields: what {@link Recorder} adds to the item's key, type, model and the time. */
type EntryFields = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, "v" | "at" | "key" | "type" | "model"> : never) : never;

/** Writes a batch's entries. */
class Recorder {
  readonly #store: JournalStore;
  readonly #context: TaskContext;

  constructor(store: JournalStore, context: TaskContext) {
    this.#store = store;
    this.#context = context;
  }

  /** Writes an entry the batch cannot go on without (the intent before a POST): a failure fails the item, nothing sent. */
  async write(job: Job, fields: EntryFields): Promise<void> {
    try {
      await this.#store.append(this.#entry(job, fields));
    } catch (error) {
      throw new ModellixError(`Could not write the batch journal: ${describe(error)}. The submit was not sent.`, { cause: error });
    }
  }

  /** Writes an entry after the fact; a failure is logged (a rerun then reports the item's outcome as unknown, never pays twice). */
  async note(job: Job, fields: EntryFields): Promise<void> {
    try {
      await this.#store.append(this.#entry(job, fields));
    } catch (error) {
      this.#context.logger.log("warn", `could not write "${fields.event}" for batch item ${job.index} to the journal: ${describe(error)}`, {
        key: job.key,
        ...("taskId" in fields ? { taskId: fields.taskId } : {}),
      });
    }
  }

  #entry(job: Job, fields: EntryFields): JournalEntry {
    return { v: 1, at: new Date().toISOString(), key: job.key, type: job.type, model: job.prepared.model, ...fields } as JournalEntry;
  }
}

/**
 * `context` whose quota queue runs `beforeSend` once it grants a slot, which
 * is the last step of `sendPrepared` before its POST: a submit still waiting
 * for a slot when the process stops has no intent in the journal, and a rerun
 * simply submits it. A `beforeSend` that throws gives the slot back and fails
 * the submit unsent.
 */
function withBeforeSend(context: TaskContext, beforeSend: () => Promise<void>): TaskContext {
  const { queue } = context;
  const guarded: Pick<TaskQueue, keyof TaskQueue> = {
    get waiting() {
      return queue.waiting;
    },
    get running() {
      return queue.running;
    },
    onIdle: () => queue.onIdle(),
    clear: () => queue.clear(),
    release: (slotId, options) => queue.release(slotId, options),
    renew: (slotId) => queue.renew(slotId),
    async acquire(slotId, signal) {
      await queue.acquire(slotId, signal);
      try {
        await beforeSend();
      } catch (error) {
        await Promise.resolve(queue.release(slotId)).catch(() => undefined);
        throw error;
      }
    },
  };
  return { ...context, queue: guarded as TaskQueue };
}

function newSlotId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asModellixError(error: unknown): ModellixError {
  return error instanceof ModellixError ? error : new ModellixError(error instanceof Error ? error.message : String(error), { cause: error });
}
