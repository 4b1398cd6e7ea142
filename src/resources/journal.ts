/**
 * The write-ahead journal of `client.batch()`: what it records, where (any
 * {@link JournalStore}), how items are recognised on a rerun (a stable hash of
 * their input), and how the entries read back as tasks (`modellix task history`).
 *
 * An entry holds only an item's key (a hash), its type and model slug, a task
 * id, a status or a reason, and a time: never the API key, never a request body.
 */
import { isRecord } from "../core/envelope.js";
import { ValidationError } from "../core/errors.js";
import { parseApiTime } from "../core/time.js";
import { isBinary } from "../models/binary.js";

/**
 * What happened to one item, in the order it happened:
 * - `intent`: its paid POST is about to be sent (written, and awaited, first);
 * - `created`: the POST answered with this task id;
 * - `not_created`: the POST was refused or never sent (no task exists; safe to submit again);
 * - `unknown`: the POST was sent but its outcome is unknown (a task may exist);
 * - `ended`: the task ended with `success` or `failed`.
 */
export type JournalEvent = "intent" | "created" | "not_created" | "unknown" | "ended";

interface EntryBase<E extends JournalEvent> {
  /** Format version: 1. */
  v: 1;
  event: E;
  /** When it was recorded (ISO 8601). */
  at: string;
  /** The item's stable key: a hash of its type, model and input, and its occurrence among identical items. */
  key: string;
  /** The type the item was submitted through (`t2i`, `r2v`, ...). */
  type: string;
  /** The model's real slug. */
  model: string;
}

/** One line of a journal. Holds no API key and no request body. */
export type JournalEntry =
  | EntryBase<"intent">
  | (EntryBase<"created"> & { taskId: string })
  | (EntryBase<"not_created"> & { error: string; status?: number | undefined })
  | (EntryBase<"unknown"> & { reason: string })
  | (EntryBase<"ended"> & { taskId: string; status: "success" | "failed" });

/**
 * Where a journal lives: two methods, so anything can back it (a file with
 * `fileJournal(path)` from `modellix/node`, a database table, a KV store,
 * {@link MemoryJournal}). `append` must resolve only once the entry is durable:
 * a batch awaits the `intent` entry before it sends the paid POST.
 */
export interface JournalStore {
  /** Stores one entry after the others. */
  append(entry: JournalEntry): Promise<void>;
  /** Every entry stored so far, oldest first. */
  read(): Promise<JournalEntry[]>;
}

/**
 * A journal kept in memory: for tests, for a rerun within one process, or as a
 * model for your own store. Entries are copied in and out.
 *
 * ```ts
 * const journal = new MemoryJournal();
 * await client.batch(items, { journal });
 * ```
 */
export class MemoryJournal implements JournalStore {
  readonly #entries: JournalEntry[];

  /** @param entries Entries to start from (e.g. read from elsewhere). */
  constructor(entries: Iterable<JournalEntry> = []) {
    this.#entries = Array.from(entries, (entry) => ({ ...entry }));
  }

  async append(entry: JournalEntry): Promise<void> {
    this.#entries.push({ ...entry });
  }

  async read(): Promise<JournalEntry[]> {
    return this.#entries.map((entry) => ({ ...entry }));
  }
}

const events: ReadonlySet<string> = new Set<JournalEvent>(["intent", "created", "not_created", "unknown", "ended"]);

/** True for a well-formed {@link JournalEntry} of format version 1. */
export function isJournalEntry(value: unknown): value is JournalEntry {
  if (!isRecord(value) || value.v !== 1 || typeof value.event !== "string" || !events.has(value.event)) return false;
  if (typeof value.at !== "string" || typeof value.key !== "string" || typeof value.type !== "string" || typeof value.model !== "string") return false;
  switch (value.event) {
    case "created":
      return typeof value.taskId === "string" && value.taskId !== "";
    case "ended":
      return typeof value.taskId === "string" && value.taskId !== "" && (value.status === "success" || value.status === "failed");
    case "unknown":
      return typeof value.reason === "string";
    case "not_created":
      return typeof value.error === "string";
    default:
      return true;
  }
}

/** A store's entries, oldest first, without anything that is not a well-formed entry (e.g. a line torn by a crash). */
export async function readJournal(store: JournalStore): Promise<JournalEntry[]> {
  const entries: unknown = await store.read();
  return Array.isArray(entries) ? entries.filter(isJournalEntry) : [];
}

/** Where one submit attempt of a journaled item got to. */
export type JournalTaskState = "submitting" | "created" | "success" | "failed" | "unknown" | "not_created";

/** One submit attempt of a journaled item, as {@link journalHistory} lists it. */
export interface JournalTask {
  /** The item's key: a hash of its type, model and input, and its occurrence among identical items (as in {@link JournalEntry}). */
  key: string;
  type: string;
  model: string;
  /**
   * `submitting`: the POST was about to be sent and nothing more was recorded
   * (the process stopped: a task may exist); `created`: the task exists (its end
   * was not recorded); `success`/`failed`: it ended so; `unknown`: the POST's
   * outcome is unknown; `not_created`: the POST was refused or never sent.
   */
  state: JournalTaskState;
  /** The task id, once the POST answered with one. */
  taskId: string | undefined;
  /** When the attempt started (its first entry). */
  submittedAt: Date;
  /** When it was last recorded. */
  updatedAt: Date;
  /** Why the outcome is unknown (state `unknown`). */
  reason: string | undefined;
}

/** Folds entries into submit attempts, oldest first: an `intent` starts one, later entries of its key update it. */
export function foldJournal(entries: readonly JournalEntry[]): JournalTask[] {
  const attempts: JournalTask[] = [];
  const current = new Map<string, JournalTask>();
  for (const entry of entries) {
    // A store of another's making may write times its own way (epoch seconds as text...); one that cannot be read counts as now, so any slot it holds is held in full.
    const at = parseApiTime(entry.at) ?? new Date();
    let attempt = current.get(entry.key);
    if (entry.event === "intent" || !attempt) {
      attempt = { key: entry.key, type: entry.type, model: entry.model, state: "submitting", taskId: undefined, submittedAt: at, updatedAt: at, reason: undefined };
      attempts.push(attempt);
      current.set(entry.key, attempt);
    }
    attempt.updatedAt = at;
    switch (entry.event) {
      case "created":
        attempt.state = "created";
        attempt.taskId = entry.taskId;
        break;
      case "ended":
        attempt.state = entry.status;
        attempt.taskId = entry.taskId;
        break;
      case "unknown":
        // A late `created` (another process still running) wins over an `unknown` recorded by a rerun, not the reverse.
        if (attempt.taskId === undefined) {
          attempt.state = "unknown";
          attempt.reason = entry.reason;
        }
        break;
      case "not_created":
        attempt.state = "not_created";
        break;
    }
  }
  return attempts;
}

/**
 * The tasks a journal knows, newest first: one row per submit attempt, with
 * its task id (once known), state and times. Backs `modellix task history`.
 *
 * ```ts
 * import { fileJournal } from "modellix/node";
 * for (const task of await journalHistory(fileJournal("batch.jsonl"))) console.log(task.taskId, task.state, task.model);
 * ```
 */
export async function journalHistory(source: JournalStore | readonly JournalEntry[]): Promise<JournalTask[]> {
  const entries = Array.isArray(source) ? source.filter(isJournalEntry) : await readJournal(source as JournalStore);
  return foldJournal(entries)
    .map((task, order) => ({ task, order }))
    .sort((a, b) => b.task.submittedAt.getTime() - a.task.submittedAt.getTime() || b.order - a.order)
    .map(({ task }) => task);
}

/** What a journal key is computed from: the item's type, its model's real slug and the body it posts. */
export interface JournalItem {
  type: string;
  model: string;
  body: Record<string, unknown>;
}

/**
 * The stable keys of `items`, in order: a SHA-256 (WebCrypto) of the canonical
 * JSON of type, model and body (object keys sorted, binary values by the hash
 * of their bytes), then `:n` for the n-th identical item, so that two equal
 * items stay two tasks. Reads every binary value; give streams as Blobs (see
 * {@link bufferStreams}).
 */
export async function journalKeys(items: readonly JournalItem[]): Promise<string[]> {
  const hashes = await Promise.all(
    items.map(async ({ type, model, body }, index) => {
      let json: string;
      try {
        json = `{"body":${(await canonicalJson(body)) ?? "null"},"model":${JSON.stringify(model)},"type":${JSON.stringify(type)}}`;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: issue.path ? `${index}.${issue.path}` : String(index) })), "batch items");
      }
      return hex(await sha256(new TextEncoder().encode(json)));
    }),
  );
  const seen = new Map<string, number>();
  return hashes.map((hash) => {
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    return `${hash.slice(0, 32)}:${occurrence}`;
  });
}

/**
 * `value` with every `ReadableStream` in it (in plain objects and arrays)
 * read into a `Blob`, so that it can be hashed and still be uploaded. Returns
 * `value` itself when it holds no stream.
 */
export async function bufferStreams<T>(value: T, ancestors: readonly object[] = []): Promise<T> {
  if (isStream(value)) return (await new Response(value).blob()) as T;
  // A cycle is left as it is: hashing reports it.
  if (!(Array.isArray(value) || isPlainObject(value)) || ancestors.includes(value)) return value;
  const inner = [...ancestors, value];
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((item) => bufferStreams(item, inner)));
    return items.every((item, index) => item === value[index]) ? value : (items as T);
  }
  const record = value as Record<string, unknown>;
  const entries = await Promise.all(Object.entries(record).map(async ([name, item]) => [name, await bufferStreams(item, inner)] as const));
  return entries.every(([name, item]) => item === record[name]) ? value : (Object.fromEntries(entries) as T);
}

/** Canonical JSON: object keys in code-unit order, `undefined` dropped as JSON drops it, binary values as `{"$binary":"sha256:<hex>"}`. */
async function canonicalJson(value: unknown, path = "", ancestors: object[] = []): Promise<string | undefined> {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return JSON.stringify(`${value}n`);
    case "object":
      break;
    default:
      return undefined;
  }
  if (isBinary(value)) return `{"$binary":"sha256:${hex(await sha256(await bytesOf(value)))}"}`;
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === "function") return canonicalJson((withJson.toJSON as () => unknown)(), path, ancestors);
  if (ancestors.includes(value)) throw new ValidationError([{ path, message: "refers to itself (a cycle); it cannot be sent as JSON" }], "batch item");
  const inner = [...ancestors, value];
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(async (item, index) => (await canonicalJson(item, at(index), inner)) ?? "null"));
    return `[${items.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record).sort();
  const members = await Promise.all(names.map(async (name) => [name, await canonicalJson(record[name], at(name), inner)] as const));
  return `{${members.flatMap(([name, json]) => (json === undefined ? [] : [`${JSON.stringify(name)}:${json}`])).join(",")}}`;
}

async function bytesOf(value: object): Promise<Uint8Array> {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (isStream(value)) return new Uint8Array(await new Response(value).arrayBuffer());
  if (typeof (value as Blob).arrayBuffer === "function") return new Uint8Array(await (value as Blob).arrayBuffer());
  return new Uint8Array(value as ArrayBuffer);
}

async function sha256(bytes: Uint8Array): Promise<ArrayBuffer> {
  return globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A `ReadableStream`, from this realm or another (as {@link isBinary} recognises it). */
function isStream(value: unknown): value is ReadableStream<Uint8Array> {
  if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return true;
  return isBinary(value) && Object.prototype.toString.call(value) === "[object ReadableStream]";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
