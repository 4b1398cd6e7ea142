import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { APIError, ModellixError, SubmitOutcomeUnknownError } from "../core/errors.js";
import { fileJournal } from "../node/journal-file.js";
import { type JournalEntry, type JournalStore, type JournalTask, journalHistory } from "../resources/journal.js";
import { configDir } from "./config-file.js";
import type { CliIO, Output } from "./io.js";

/** The history journal: `history.jsonl` beside the config file. */
export function historyPath(env: CliIO["env"]): string {
  return join(configDir(env), "history.jsonl");
}

/** What identifies one submit in the journal: its key, type and model slug. */
export interface HistoryRef {
  key: string;
  type: string;
  model: string;
}

/**
 * The CLI's task history: the same write-ahead journal `client.batch(..., {
 * journal })` keeps (`fileJournal`, JSON Lines, mode 0600), so `modellix task
 * history` lists batch tasks and single ones alike. Entries hold keys, types,
 * model slugs, task ids, statuses and times; never a key, never a body. A
 * failure to write is a note on stderr, never a failed command: the task id is
 * printed anyway.
 */
export class History {
  /** The journal file. */
  readonly path: string;
  /** The journal, for `client.batch()`. */
  readonly store: JournalStore;
  readonly #output: Output;
  #warned = false;

  constructor(io: CliIO, output: Output) {
    this.path = historyPath(io.env);
    this.store = journalIn(this.path);
    this.#output = output;
  }

  /** A new submit of one command (not a batch item): a key of its own, so no batch rerun ever mistakes it for one of its items. */
  newRef(type: string, model: string): HistoryRef {
    return { key: `cli-${randomUUID()}`, type, model };
  }

  /** Records that a paid POST is about to be sent. */
  intent(ref: HistoryRef): Promise<void> {
    return this.#append({ ...this.#base(ref), event: "intent" });
  }

  /** Records the task id the POST answered with. */
  created(ref: HistoryRef, taskId: string): Promise<void> {
    return this.#append({ ...this.#base(ref), event: "created", taskId });
  }

  /** Records a submit that failed after its intent: `unknown` when it may have created a task, else `not_created`. */
  failed(ref: HistoryRef, error: unknown): Promise<void> {
    if (error instanceof SubmitOutcomeUnknownError) return this.#append({ ...this.#base(ref), event: "unknown", reason: error.reason });
    if (error instanceof ModellixError) {
      return this.#append({ ...this.#base(ref), event: "not_created", error: error.name, status: error instanceof APIError ? error.status : undefined });
    }
    return this.#append({ ...this.#base(ref), event: "unknown", reason: "unexpected_error" });
  }

  /**
   * Records how a task ended, under the entry that created it when the journal
   * has one (else under a key of its own), unless that end is recorded already.
   */
  async ended(taskId: string, status: "success" | "failed", fallback: { type: string | undefined; model: string | undefined }): Promise<void> {
    const known = await this.find(taskId);
    if (known && known.state === status) return;
    const ref = known ?? { key: `task-${taskId}`, type: fallback.type ?? "unknown", model: fallback.model ?? "unknown" };
    await this.#append({ ...this.#base(ref), event: "ended", taskId, status });
  }

  /** The latest submit attempt with this task id, if the journal has it. */
  async find(taskId: string): Promise<JournalTask | undefined> {
    return (await this.list().catch(() => [])).find((task) => task.taskId === taskId);
  }

  /** Every submit attempt the journal knows, newest first. */
  list(): Promise<JournalTask[]> {
    return journalHistory(this.store);
  }

  #base(ref: HistoryRef): Pick<JournalEntry, "v" | "at" | "key" | "type" | "model"> {
    return { v: 1, at: new Date().toISOString(), key: ref.key, type: ref.type, model: ref.model };
  }

  async #append(entry: JournalEntry): Promise<void> {
    try {
      await this.store.append(entry);
    } catch (error) {
      if (this.#warned) return;
      this.#warned = true;
      const code = (error as NodeJS.ErrnoException).code;
      this.#output.note(`could not write the task history ${this.path} (${code ?? (error instanceof Error ? error.message : String(error))})`);
    }
  }
}

/** `fileJournal(path)` whose first append creates the file's directory (0700), as the config file's. */
export function journalIn(path: string): JournalStore {
  const file = fileJournal(path);
  let directory: Promise<unknown> | undefined;
  return {
    async append(entry) {
      directory ??= mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await directory;
      await file.append(entry);
    },
    read: () => file.read(),
  };
}
