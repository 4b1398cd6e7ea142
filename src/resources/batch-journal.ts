/**
 * The journal side of `client.batch(items, { journal })`, loaded only by a
 * batch that has one: which items an earlier run already submitted, the
 * entries written around each paid POST, and the quota slots that resumed and
 * uncertain tasks still take.
 */
import { APIError, UserAbortError, ModellixError, type SubmitOutcomeReason, SubmitOutcomeUnknownError, TaskFailedError } from "../core/errors.js";
import { type ClientContext, quotaHoldFor } from "../context.js";
import { Task, type TaskOrigin } from "../task.js";
import type { BatchJob, BatchResult, BatchState } from "./batch-state.js";
import { type JournalEntry, type JournalStore, type JournalTask, bufferStreams, foldJournal, journalKeys, readJournal } from "./journal.js";

/** What a job does, from the journal: submit, follow a task an earlier run created, or report an unknown outcome. */
type Step =
  | { kind: "submit" }
  | { kind: "resume"; taskId: string; createdAt: Date; ended: "success" | "failed" | undefined }
  | { kind: "unknown"; attempt: JournalTask };

/** The order jobs start in: resumed tasks first (they take quota slots before new submits), then the reports, then the submits. */
const ranks: Record<Step["kind"], number> = { resume: 0, unknown: 1, submit: 2 };

/** An entry's own fields: what is written besides the item's key, type, model and the time. */
type EntryFields = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, "v" | "at" | "key" | "type" | "model"> : never) : never;

/**
 * Gives every job its key and reads the journal: before the first POST, so a
 * journal that cannot be read, or an input that cannot be hashed, sends
 * nothing. Streams in the items are read into Blobs here (hashed, then uploaded).
 */
export async function openBatchJournal(context: ClientContext, store: JournalStore, jobs: BatchJob[], resubmitUnknown: boolean): Promise<BatchJournal> {
  for (const job of jobs) job.prepared = { model: job.prepared.model, body: await bufferStreams(job.prepared.body) };
  const keys = await journalKeys(jobs.map((job) => ({ type: job.type, model: job.prepared.model, body: job.prepared.body })));
  let entries: JournalEntry[];
  try {
    entries = await readJournal(store);
  } catch (error) {
    throw new ModellixError(`Could not read the batch journal: ${describe(error)}. Nothing was sent.`, { cause: error });
  }
  const attempts = foldJournal(entries);
  const latest = new Map<string, JournalTask>();
  for (const attempt of attempts) latest.set(attempt.key, attempt);
  const steps = keys.map((key) => stepFor(latest.get(key), resubmitUnknown));
  // "Now" by the journal's own clock: its newest entry, as the fold read the times.
  const journalNow = attempts.reduce((newest, attempt) => Math.max(newest, attempt.updatedAt.getTime()), 0);
  explainHeldSlots(context, jobs, steps, journalNow);
  return new BatchJournal(context, store, keys, steps, journalNow);
}

/**
 * Says once, at info, that the items whose earlier submit outcome is unknown
 * will hold quota slots (a task they created may still run), until when, and
 * how not to wait: otherwise a rerun seems to stall with nothing said.
 */
function explainHeldSlots(context: ClientContext, jobs: readonly BatchJob[], steps: readonly Step[], journalNow: number): void {
  // What is left of each hold, measured as the slots are held (see BatchJournal's journal clock).
  const left = steps.flatMap((step, index) => {
    if (step.kind !== "unknown") return [];
    const ms = holdLeft(context, jobs[index]?.type, step.attempt, journalNow);
    return ms > 0 ? [ms] : [];
  });
  if (left.length === 0) return;
  const heldMs = Math.max(...left);
  context.logger.log(
    "info",
    `${left.length} batch item(s) whose earlier submit outcome is unknown hold a quota slot each for up to ${Math.ceil(heldMs / 1000)} s, as a task they created may still run, ` +
      "so other submits may wait for a slot. To send them again instead, pass resubmitUnknown: true (CLI: --resubmit-unknown); quotaHoldMs sets how long a slot is held.",
    { items: left.length, heldMs },
  );
}

/**
 * What is left, in ms, of the quota hold after an unknown outcome's POST: the
 * POST's time was written by whichever machine sent it, so the rest is
 * measured on the journal's own clock (`journalNow`, its newest entry), and
 * this machine's clock may only shorten it.
 */
function holdLeft(context: ClientContext, type: string | undefined, attempt: JournalTask, journalNow: number): number {
  const holdMs = quotaHoldFor(context, type);
  const sentAt = attempt.submittedAt.getTime();
  return Math.min(holdMs - (journalNow - sentAt), sentAt + holdMs - Date.now());
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

/** One batch run's journal: its plan from the earlier runs, and the entries it writes. @internal */
export class BatchJournal {
  readonly #context: ClientContext;
  readonly #store: JournalStore;
  readonly #keys: readonly string[];
  readonly #steps: readonly Step[];
  /** The newest time written in the journal (epoch ms), on the clock of whichever machine wrote it: "now" by the journal's own clock, at the latest. */
  readonly #journalNow: number;

  constructor(context: ClientContext, store: JournalStore, keys: readonly string[], steps: readonly Step[], journalNow: number) {
    this.#context = context;
    this.#store = store;
    this.#keys = keys;
    this.#steps = steps;
    this.#journalNow = journalNow;
  }

  /** When the job at `index` starts, relative to the others (lower first). */
  rank(index: number): number {
    return ranks[this.#steps[index]?.kind ?? "submit"];
  }

  /**
   * Runs a job the journal knows (follows its task, or reports its unknown
   * outcome); `undefined` when the job is to be submitted. Called before any
   * await of the job, so that the quota slots it asks for queue ahead of new submits.
   */
  resume(job: BatchJob, state: BatchState): Promise<BatchResult> | undefined {
    const step = this.#steps[job.index];
    if (step?.kind === "resume") return this.#follow(job, state, step);
    if (step?.kind === "unknown") return this.#report(job, state, step.attempt);
    return undefined;
  }

  /**
   * Sends a submit with `send`, journaling the intent once the quota slot is
   * granted (the last step before the POST), then the task id, or how the
   * submit failed. A journal that cannot take the intent fails the submit unsent.
   */
  async submit(job: BatchJob, send: (beforeSend: () => Promise<void>) => Promise<Task>): Promise<Task> {
    let intentWritten = false;
    let task: Task;
    try {
      task = await send(async () => {
        await this.#write(job, { event: "intent" });
        intentWritten = true;
      });
    } catch (error) {
      if (intentWritten) await this.#note(job, outcomeOf(error));
      throw error;
    }
    await this.#note(job, { event: "created", taskId: task.id });
    return task;
  }

  /** Journals how a task ended. */
  ended(job: BatchJob, taskId: string, status: "success" | "failed"): Promise<void> {
    return this.#note(job, { event: "ended", taskId, status });
  }

  /**
   * Follows a task an earlier run created. One that had not ended when last
   * recorded takes a quota slot first (it still counts against the team
   * quota); its poller gives the slot back when the task ends.
   */
  async #follow(job: BatchJob, state: BatchState, step: Extract<Step, { kind: "resume" }>): Promise<BatchResult> {
    const context = this.#context;
    const origin: TaskOrigin = { id: step.taskId, type: job.type, model: job.prepared.model, createdAt: step.createdAt };
    const slotId = step.ended ? undefined : newSlotId();
    const slot = slotId === undefined ? undefined : context.queue.acquire(slotId, state.signal);
    state.counts.submitted++;
    state.counts.resumed++;
    state.counts.running++;
    state.report();
    if (slot === undefined || slotId === undefined) return state.follow(job, new Task(context, origin), step.ended);
    try {
      await slot;
    } catch (error) {
      state.counts.running--;
      return state.fail(job, error, new Task(context, origin));
    }
    const result = await state.follow(job, new Task(context, { ...origin, slotId }));
    // The poller gave the slot back if it saw the end (then this does nothing); otherwise it is held a while, as for any task whose state is unknown.
    const ended = result.ok || result.error instanceof TaskFailedError;
    Promise.resolve()
      .then(() => context.queue.release(slotId, { afterMs: ended ? undefined : quotaHoldFor(context, job.type) }))
      .catch((error: unknown) => context.logger.log("warn", `could not release the quota slot of task ${step.taskId}: ${describe(error)}`, { taskId: step.taskId }));
    return result;
  }

  /**
   * Reports an item whose earlier POST outcome the journal never got, without
   * sending anything. A task it may have created counts against the team
   * quota a while: a slot stays taken until the usual hold after that POST is
   * over. The POST's time was written by whichever machine sent it: what is
   * left of the hold is measured on the journal's own clock (its newest entry),
   * and this machine's clock may only shorten it. So a clock behind the
   * journal's never holds the slot longer than the hold itself.
   */
  async #report(job: BatchJob, state: BatchState, attempt: JournalTask): Promise<BatchResult> {
    this.#holdSlotFor(job, state.signal, holdLeft(this.#context, job.type, attempt, this.#journalNow));
    if (attempt.state === "submitting") await this.#note(job, { event: "unknown", reason: "interrupted" });
    const reason = attempt.reason !== undefined && Object.hasOwn(outcomeReasons, attempt.reason) ? (attempt.reason as SubmitOutcomeReason) : "interrupted";
    const cause = new ModellixError(
      `The batch journal has this item's submit of ${attempt.submittedAt.toISOString()} but not its outcome, so it was not sent again. ` +
        "Pass resubmitUnknown: true to submit it anyway.",
    );
    const error = new SubmitOutcomeUnknownError({ reason, attempt: 1, type: job.type, model: job.prepared.model, sentAt: attempt.submittedAt, cause });
    return state.fail(job, error, undefined);
  }

  /** Takes a quota slot (once one is free, without making the job wait) and keeps it until `ms` from now are over; nothing if `ms` ≤ 0. */
  #holdSlotFor(job: BatchJob, signal: AbortSignal | undefined, ms: number): void {
    const { queue, logger } = this.#context;
    if (!(ms > 0)) return;
    const until = performance.now() + ms;
    const slotId = newSlotId();
    queue
      .acquire(slotId, signal)
      .then(() => queue.release(slotId, { afterMs: Math.max(0, until - performance.now()) }))
      .catch((error: unknown) => {
        if (!(error instanceof UserAbortError)) logger.log("warn", `could not hold a quota slot for batch item ${job.index}: ${describe(error)}`);
      });
  }

  /** Writes an entry the batch cannot go on without (the intent before a POST): a failure fails the item, nothing sent. */
  async #write(job: BatchJob, fields: EntryFields): Promise<void> {
    try {
      await this.#store.append(this.#entry(job, fields));
    } catch (error) {
      throw new ModellixError(`Could not write the batch journal: ${describe(error)}. The submit was not sent.`, { cause: error });
    }
  }

  /** Writes an entry after the fact; a failure is logged (a rerun then reports the item's outcome as unknown, never pays twice). */
  async #note(job: BatchJob, fields: EntryFields): Promise<void> {
    try {
      await this.#store.append(this.#entry(job, fields));
    } catch (error) {
      this.#context.logger.log("warn", `could not write "${fields.event}" for batch item ${job.index} to the journal: ${describe(error)}`, {
        key: this.#keys[job.index],
        ...("taskId" in fields ? { taskId: fields.taskId } : {}),
      });
    }
  }

  #entry(job: BatchJob, fields: EntryFields): JournalEntry {
    const key = this.#keys[job.index] as string;
    return { v: 1, at: new Date().toISOString(), key, type: job.type, model: job.prepared.model, ...fields } as JournalEntry;
  }
}

/** The journal entry for a submit that threw after its intent was written. */
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
  interrupted: true,
};

function newSlotId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
