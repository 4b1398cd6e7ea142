import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import Modellix, {
  type BatchItem,
  type BatchOptions,
  type BatchProgress,
  type BatchResult,
  ModellixError,
  SubmitOutcomeUnknownError,
  TaskFailedError,
  ValidationError,
} from "modellix";
import { type JournalEntry, type JournalStore, MemoryJournal, fileJournal, journalHistory } from "modellix/node";
import type { FakeModellix } from "modellix/testing";
import { secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

// The first batch with a journal loads the journal code (a dynamic import): load it with real timers, before any test fakes them.
beforeAll(async () => {
  await expect(setup().client.batch([], { journal: new MemoryJournal() })).resolves.toEqual([]);
});
useFakeTimersInEachTest();

/** The real setTimeout, kept before the tests fake the timers: real work takes real time. */
const realSetTimeout = globalThis.setTimeout;

/**
 * The real work a journaled batch does besides what the fake clock drives: it hashes its items
 * (WebCrypto, before it first reads its journal) and waits on its journal's operations (a file
 * journal opens, appends and fdatasyncs). Fake timers cannot hurry that work, and an hour of fake
 * time passes in about a tenth of a second of real time: a clock moved on while a write was on a
 * busy disk ran out of fake time before the write ended, and the test hung until its timeout.
 * So the clock waits for this work: {@link RealWork.watch} wraps a journal to see it.
 */
class RealWork {
  readonly #inFlight = new Set<Promise<unknown>>();
  #hashing = 0;

  /** `store`, watched: until its first read the batch is hashing its items; then each operation is tracked until it ends. */
  watch(store: JournalStore): JournalStore {
    let read = false;
    this.#hashing += 1;
    return {
      append: (entry) => this.#track(store.append(entry)),
      read: () => {
        if (!read) this.#hashing -= 1;
        read = true;
        return this.#track(store.read());
      },
    };
  }

  /** True while real work is under way: the fake clock must not move. */
  get pending(): boolean {
    return this.#hashing > 0 || this.#inFlight.size > 0;
  }

  /** Resolves when the operations in flight have ended, or after a real millisecond. */
  next(): Promise<unknown> {
    const pause = new Promise((resolve) => realSetTimeout(resolve, 1));
    return this.#inFlight.size > 0 ? Promise.allSettled([...this.#inFlight]) : pause;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const done = () => this.#inFlight.delete(work);
    work.then(done, done);
    return work;
  }
}

/**
 * Moves the fake clock one timer at a time until `done()`, only while no real work is under way
 * and some timer is set (with none, only real work can move things on), so that real work always
 * ends at the same fake time: the tests are deterministic however slow the machine.
 * Fails after `maxMs` of fake time.
 */
async function advanceUntil(done: () => boolean, work: RealWork, maxMs = 60 * 60_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    // A real turn of the event loop: finished I/O and crypto report back, promise jobs run, timers due now fire.
    await vi.advanceTimersByTimeAsync(0);
    if (done()) return;
    if (work.pending || vi.getTimerCount() === 0) {
      await work.next();
      continue;
    }
    if (Date.now() - start > maxMs) throw new Error(`still not done after ${maxMs} ms of fake time`);
    await vi.advanceTimersToNextTimerAsync();
  }
}

/** Runs `client.batch(items, options)` to its end (see {@link advanceUntil}), its journal watched (unless it is no store at all). */
async function runBatch(client: Modellix, items: readonly BatchItem[], options: BatchOptions & { journal: JournalStore }): Promise<BatchResult[]> {
  const work = new RealWork();
  const { journal } = options;
  const store = typeof journal.append === "function" && typeof journal.read === "function";
  let settled = false;
  const run = client.batch(items, { ...options, journal: store ? work.watch(journal) : journal });
  run.then(
    () => (settled = true),
    () => (settled = true),
  );
  await advanceUntil(() => settled, work);
  return run;
}

const model = "bytedance/seedream-4.5-t2i";

/** `count` text-to-image items with distinct prompts. */
function imageItems(count: number, prefix = "lighthouse"): BatchItem[] {
  return Array.from({ length: count }, (_, i) => ({ type: "t2i", model, prompt: `${prefix} ${i}`, size: "2048x2048" }));
}

/** Submits the fake received, by prompt. */
function postsByPrompt(fake: FakeModellix): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of fake.requests) {
    if (request.route !== "submit") continue;
    const prompt = String((request.body as { prompt?: unknown }).prompt);
    counts[prompt] = (counts[prompt] ?? 0) + 1;
  }
  return counts;
}

function clientFor(fetch: typeof globalThis.fetch): Modellix {
  return new Modellix({ apiKey: secretKey, baseURL: "https://api.modellix.test", fetch, logLevel: "off", maxConcurrentTasks: 3 });
}

/**
 * A process that can die: once `diesAfter` holds, after an answer of the fake
 * or after a journal write (`entry`), nothing more leaves it (requests and
 * journal writes hang for good, the last answer is never read), as when the
 * process is killed.
 */
function mortalProcess(fake: FakeModellix, journal: JournalStore, diesAfter: (entry?: JournalEntry) => boolean) {
  const work = new RealWork();
  let dead = false;
  const never = new Promise<never>(() => {});
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (dead) return never;
    const response = await fake.fetch(input, init);
    if (diesAfter()) dead = true;
    return dead ? never : response;
  };
  const store: JournalStore = {
    append: async (entry) => {
      if (dead) return never;
      await journal.append(entry);
      if (diesAfter(entry)) dead = true;
    },
    read: () => journal.read(),
  };
  return {
    client: clientFor(fetch),
    journal: work.watch(store),
    work,
    get dead() {
      return dead;
    },
  };
}

async function untilDead(process: { dead: boolean; work: RealWork }): Promise<void> {
  await advanceUntil(() => process.dead, process.work, 10 * 60_000);
  expect(process.dead).toBe(true);
}

describe("client.batch() with a journal", () => {
  it("a batch killed half way, rerun with the same journal and items, sends zero duplicate POSTs", async () => {
    const { fake } = setup();
    const journal = new MemoryJournal();
    const items = imageItems(6);
    // Killed right after the fake created the 4th task, before its answer reached the process.
    const first = mortalProcess(fake, journal, () => fake.countRequests({ route: "submit" }) >= 4);
    void first.client.batch(items, { journal: first.journal });
    await untilDead(first);

    const before = await journal.read();
    expect(before.filter((entry) => entry.event === "intent")).toHaveLength(4);
    const created = before.filter((entry) => entry.event === "created");
    expect(created).toHaveLength(3);
    expect(fake.stats.tasksCreated).toBe(4);

    const progress: BatchProgress[] = [];
    const rerun = clientFor(fake.fetch);
    const results = await runBatch(rerun, items, { journal, onProgress: (p) => progress.push(p) });

    // Every item was POSTed exactly once over both runs, and no submit met a full quota.
    expect(postsByPrompt(fake)).toEqual(Object.fromEntries(items.map((item) => [item.prompt, 1])));
    expect(fake.stats.tasksCreated).toBe(6);
    expect(fake.stats.tooManyRequests).toEqual({ concurrency: 0, rateLimit: 0, injected: 0 });
    // The three journaled tasks were followed by id, the interrupted one reported, the last two submitted.
    expect(results.map((result) => result.ok)).toEqual([true, true, true, false, true, true]);
    expect(results.slice(0, 3).map((result) => result.task?.id)).toEqual(created.map((entry) => entry.event === "created" && entry.taskId));
    const interrupted = results[3];
    expect(interrupted?.ok === false && interrupted.error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(interrupted?.task).toBeUndefined();
    expect(progress.at(-1)).toEqual({ total: 6, submitted: 5, resumed: 3, running: 0, succeeded: 5, failed: 1 });
  });

  it("a batch aborted by its signal after three tasks were created reruns without sending them again", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const items = imageItems(5);
    const controller = new AbortController();
    const stopped = await runBatch(client, items, { journal, signal: controller.signal, onProgress: (p) => p.submitted === 3 && controller.abort() });
    expect(stopped.map((result) => result.ok)).toEqual([false, false, false, false, false]);
    expect(stopped.slice(0, 3).every((result) => result.task !== undefined)).toBe(true);
    expect(fake.stats.tasksCreated).toBe(3);

    const rerun = await runBatch(clientFor(fake.fetch), items, { journal });
    expect(rerun.every((result) => result.ok)).toBe(true);
    expect(rerun.slice(0, 3).map((result) => result.task?.id)).toEqual(stopped.slice(0, 3).map((result) => result.task?.id));
    expect(postsByPrompt(fake)).toEqual(Object.fromEntries(items.map((item) => [item.prompt, 1])));
  });

  it("a rerun takes quota slots for the resumed tasks still running, before any new submit: no 429", async () => {
    const { fake } = setup();
    const journal = new MemoryJournal();
    const items = imageItems(6);
    let created = 0;
    // Killed once three tasks were created and journaled: they still run at the server.
    const first = mortalProcess(fake, journal, (entry) => entry?.event === "created" && ++created === 3);
    void first.client.batch(items, { journal: first.journal });
    await untilDead(first);
    expect(fake.tasks.map((task) => task.status)).toEqual(["pending", "pending", "pending"]);

    const results = await runBatch(clientFor(fake.fetch), items, { journal });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.stats.tooManyRequests.concurrency).toBe(0);
    expect(fake.maxConcurrentObserved).toBe(3);
    expect(postsByPrompt(fake)).toEqual(Object.fromEntries(items.map((item) => [item.prompt, 1])));
  });

  it("a rerun keeps a quota slot for an item whose outcome is unknown, for the usual hold after its POST: no 429", async () => {
    const { fake } = setup();
    const journal = new MemoryJournal();
    const items = imageItems(6);
    // Killed as the fake created the 3rd task, before the process read the answers: none of the three is journaled as created.
    const first = mortalProcess(fake, journal, (entry) => entry === undefined && fake.countRequests({ route: "submit" }) >= 3);
    void first.client.batch(items, { journal: first.journal });
    await untilDead(first);
    expect(fake.stats.tasksCreated).toBe(3);

    const results = await runBatch(clientFor(fake.fetch), items, { journal });
    const unknown = results.filter((result) => !result.ok && result.error instanceof SubmitOutcomeUnknownError).length;
    expect(unknown).toBeGreaterThan(0);
    expect(results.filter((result) => result.ok)).toHaveLength(6 - unknown);
    expect(fake.stats.tooManyRequests.concurrency).toBe(0);
    expect(fake.maxConcurrentObserved).toBe(3);
    expect(Object.values(postsByPrompt(fake))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("reports an item whose POST outcome was never journaled without sending it; resubmitUnknown sends it once more", async () => {
    const { fake } = setup();
    const journal = new MemoryJournal();
    const items = imageItems(3);
    // One item at a time, killed as the fake created the 2nd task: its intent is journaled, its task id never is.
    const first = mortalProcess(fake, journal, () => fake.countRequests({ route: "submit" }) >= 2);
    void first.client.batch(items, { journal: first.journal, concurrency: 1 });
    await untilDead(first);
    expect(postsByPrompt(fake)).toEqual({ "lighthouse 0": 1, "lighthouse 1": 1 });

    const again = await runBatch(clientFor(fake.fetch), items, { journal });
    expect(again.map((result) => result.ok)).toEqual([true, false, true]);
    const unknown = again[1];
    expect(unknown?.ok === false && unknown.error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(unknown?.ok === false && unknown.error.message).toMatch(/not sent again/);
    expect(postsByPrompt(fake)).toEqual({ "lighthouse 0": 1, "lighthouse 1": 1, "lighthouse 2": 1 });

    // Reported again on every rerun, never sent...
    await runBatch(clientFor(fake.fetch), items, { journal });
    expect(postsByPrompt(fake)["lighthouse 1"]).toBe(1);

    // ...until the caller asks for it: sent once more, the others still followed by id.
    const forced = await runBatch(clientFor(fake.fetch), items, { journal, resubmitUnknown: true });
    expect(forced.map((result) => result.ok)).toEqual([true, true, true]);
    expect(postsByPrompt(fake)).toEqual({ "lighthouse 0": 1, "lighthouse 1": 2, "lighthouse 2": 1 });
    const after = await runBatch(clientFor(fake.fetch), items, { journal });
    expect(after.map((result) => result.task?.id)).toEqual(forced.map((result) => result.task?.id));
    expect(fake.countRequests({ route: "submit" })).toBe(4);
  });

  it("journals a submit whose outcome is unknown in the run, and never resubmits it on a rerun", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    fake.inject({ kind: "reset-after-create" }, { match: { route: "submit", path: "/bytedance/seedream-4.5-t2i" } });
    const items: BatchItem[] = [imageItems(1)[0] as BatchItem, { type: "t2v", prompt: "a storm at sea" }];
    const results = await runBatch(client, items, { journal });
    expect(results[0]?.ok === false && results[0].error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect((await journal.read()).map((entry) => entry.event)).toContain("unknown");

    const rerun = await runBatch(clientFor(fake.fetch), items, { journal });
    expect(rerun[0]?.ok === false && rerun[0].error).toMatchObject({ name: "SubmitOutcomeUnknownError", reason: "connection_lost" });
    expect(rerun[1]?.task?.id).toBe(results[1]?.task?.id);
    expect(fake.countRequests({ route: "submit" })).toBe(2);
  });

  it("re-reads finished items by id instead of submitting them again, failures included", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const items = [...imageItems(2), { type: "t2i", prompt: "[fail] rejected" }];
    const first = await runBatch(client, items, { journal });
    expect(first.map((result) => result.ok)).toEqual([true, true, false]);
    const reads = fake.countRequests({ route: "task" });

    const progress: BatchProgress[] = [];
    const second = await runBatch(clientFor(fake.fetch), items, { journal, onProgress: (p) => progress.push(p) });
    expect(fake.countRequests({ route: "submit" })).toBe(3);
    expect(fake.countRequests({ route: "task" }) - reads).toBe(3);
    expect(second.map((result) => result.task?.id)).toEqual(first.map((result) => result.task?.id));
    expect(second[0]?.ok && second[0].result.resources[0]?.url).toBe(first[0]?.ok && first[0].result.resources[0]?.url);
    expect(second[2]?.ok === false && second[2].error).toBeInstanceOf(TaskFailedError);
    expect(progress.at(-1)).toMatchObject({ submitted: 3, resumed: 3, succeeded: 2, failed: 1 });
    // Ends already journaled are not written again.
    expect((await journal.read()).filter((entry) => entry.event === "ended")).toHaveLength(3);
  });

  it("matches items by content: order and key order do not matter, identical items stay distinct tasks, a changed item is new", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const twin: BatchItem = { type: "t2i", model, prompt: "twins", size: "2048x2048" };
    const first = await runBatch(client, [twin, { ...twin }, { type: "t2i", prompt: "solo" }], { journal });
    expect(new Set(first.map((result) => result.task?.id)).size).toBe(3);

    // The same items in another order, fields in another order, the model in its docs spelling.
    const reordered: BatchItem[] = [
      { type: "t2i", prompt: "solo" },
      { size: "2048x2048", prompt: "twins", type: "t2i", model: "bytedance/seedream-4-5-t2i" },
      { ...twin },
      { ...twin, prompt: "twins, but at night" },
    ];
    const second = await runBatch(clientFor(fake.fetch), reordered, { journal });
    expect(second[0]?.task?.id).toBe(first[2]?.task?.id);
    expect(new Set([second[1]?.task?.id, second[2]?.task?.id])).toEqual(new Set([first[0]?.task?.id, first[1]?.task?.id]));
    expect(postsByPrompt(fake)).toEqual({ twins: 2, solo: 1, "twins, but at night": 1 });
  });

  it("hashes files by their bytes: the same bytes in a new Blob resume, other bytes are a new task", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const edit = (image: Blob | Uint8Array): BatchItem => ({ type: "i2i", prompt: "make it blue", image: [image] });
    const first = await runBatch(client, [edit(new Blob([bytes], { type: "image/png" }))], { journal });
    expect(first[0]?.ok).toBe(true);
    expect(fake.stats.filesUploaded).toBe(1);

    const same = await runBatch(clientFor(fake.fetch), [edit(bytes.slice())], { journal });
    expect(same[0]?.task?.id).toBe(first[0]?.task?.id);
    const streamed = await runBatch(clientFor(fake.fetch), [{ type: "i2i", prompt: "make it blue", image: [new Blob([bytes]).stream()] }], { journal });
    expect(streamed[0]?.task?.id).toBe(first[0]?.task?.id);
    expect(fake.stats.filesUploaded).toBe(1);

    const other = await runBatch(clientFor(fake.fetch), [edit(new Blob([bytes, new Uint8Array([4])], { type: "image/png" }))], { journal });
    expect(other[0]?.ok).toBe(true);
    expect(other[0]?.task?.id).not.toBe(first[0]?.task?.id);
    expect(fake.countRequests({ route: "submit" })).toBe(2);
    expect(fake.stats.filesUploaded).toBe(2);
  });

  it("writes the intent before the POST and the task id after it, and never the key or a request body", async () => {
    const { fake } = setup();
    const order: string[] = [];
    const journal = new MemoryJournal();
    const watched: JournalStore = {
      append: async (entry) => {
        order.push(`journal ${entry.event}`);
        await journal.append(entry);
      },
      read: () => journal.read(),
    };
    const traced = clientFor(async (input, init) => {
      const request = new Request(input, init);
      if (request.method === "POST") order.push("POST");
      return fake.fetch(request);
    });
    await runBatch(traced, [{ type: "t2i", model, prompt: "a secret prompt", size: "2048x2048" }], { journal: watched });
    expect(order).toEqual(["journal intent", "POST", "journal created", "journal ended"]);
    const text = JSON.stringify(await journal.read());
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain("secret prompt");
    expect(text).not.toContain("2048x2048");
    for (const entry of await journal.read()) {
      expect(Object.keys(entry).sort()).toEqual(
        ["at", "event", "key", "model", "type", "v", ...({ intent: [], created: ["taskId"], ended: ["status", "taskId"] }[entry.event as string] ?? [])].sort(),
      );
    }
  });

  it("validates every item before reading or writing the journal; a journal it cannot write sends nothing", async () => {
    const { fake, client } = setup();
    const journal = new MemoryJournal();
    const invalid = [...imageItems(2), { type: "t2i", model, prompt: "x", size: "1024*1024" }];
    await expect(runBatch(client, invalid, { journal })).rejects.toBeInstanceOf(ValidationError);
    await expect(runBatch(client, imageItems(1), { journal: {} as JournalStore })).rejects.toMatchObject({
      issues: [{ path: "journal", message: expect.stringMatching(/append/) }],
    });
    expect(await journal.read()).toEqual([]);

    const unreadable: JournalStore = { append: () => journal.append({} as JournalEntry), read: () => Promise.reject(new Error("disk gone")) };
    await expect(runBatch(client, imageItems(2), { journal: unreadable })).rejects.toThrow(/Could not read the batch journal: disk gone\. Nothing was sent/);

    const full: JournalStore = { append: () => Promise.reject(new Error("ENOSPC: no space left")), read: async () => [] };
    const results = await runBatch(client, imageItems(2), { journal: full });
    expect(results.map((result) => !result.ok && result.error.message)).toEqual([
      expect.stringMatching(/Could not write the batch journal: ENOSPC.*not sent/),
      expect.stringMatching(/Could not write the batch journal: ENOSPC.*not sent/),
    ]);
    expect(results.every((result) => !result.ok && result.error instanceof ModellixError)).toBe(true);
    expect(fake.requests).toHaveLength(0);
    expect(client.queue.running).toBe(0);
  });

  it("runs the same on a slow disk: a journal write taking 100 ms of real time moves the fake clock not at all", async () => {
    /** A batch of three against a fresh fake, with its journal entries as (event, fake ms since the first entry). */
    const timeline = async (journal: JournalStore & { read(): Promise<JournalEntry[]> }) => {
      const { client } = setup();
      const results = await runBatch(client, imageItems(3), { journal });
      expect(results.every((result) => result.ok)).toBe(true);
      const entries = await journal.read();
      const first = Date.parse(entries[0]?.at ?? "");
      return entries.map((entry) => `${entry.event} ${entry.key} +${Date.parse(entry.at) - first}ms`);
    };
    const fast = await timeline(new MemoryJournal());
    const slowDisk = new MemoryJournal();
    const slow = await timeline({
      append: async (entry) => {
        await new Promise((resolve) => realSetTimeout(resolve, 100));
        await slowDisk.append(entry);
      },
      read: () => slowDisk.read(),
    });
    expect(fast).toHaveLength(9);
    expect(slow).toEqual(fast);
  });

  it("lists the journal's tasks newest first for `task history`", async () => {
    const { client } = setup();
    const journal = new MemoryJournal();
    await runBatch(client, imageItems(2, "early"), { journal });
    await vi.advanceTimersByTimeAsync(60_000);
    await runBatch(client, [{ type: "t2i", prompt: "[fail] late" }], { journal });
    const history = await journalHistory(journal);
    expect(history.map((task) => [task.model, task.state])).toEqual([
      ["google/nano-banana-2-lite", "failed"],
      [model, "success"],
      [model, "success"],
    ]);
    expect(history.every((task) => typeof task.taskId === "string" && task.submittedAt <= task.updatedAt)).toBe(true);
    expect(history[0]?.submittedAt.getTime()).toBeGreaterThan(history[1]?.submittedAt.getTime() ?? Infinity);
    expect(await journalHistory(await journal.read())).toEqual(history);
  });
});

describe("fileJournal()", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "modellix-journal-"));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("appends JSON Lines to a file created with mode 0600, and backs a resumable batch", async () => {
    const path = join(directory, "batch.jsonl");
    const { fake, client } = setup();
    const items = imageItems(3);
    const first = await runBatch(client, items, { journal: fileJournal(path) });
    expect(first.every((result) => result.ok)).toBe(true);

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line) as JournalEntry);
    expect(lines.map((entry) => entry.event).sort()).toEqual([...Array(3).fill("created"), ...Array(3).fill("ended"), ...Array(3).fill("intent")]);
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain("lighthouse");

    // A new store on the same file (another process) resumes every task.
    const again = await runBatch(clientFor(fake.fetch), items, { journal: fileJournal(path) });
    expect(again.map((result) => result.task?.id)).toEqual(first.map((result) => result.task?.id));
    expect(fake.countRequests({ route: "submit" })).toBe(3);
  });

  it("reads a missing file as empty, skips a line torn by a crash and starts the next entry on a fresh line", async () => {
    const path = join(directory, "torn.jsonl");
    expect(await fileJournal(path).read()).toEqual([]);
    const entry: JournalEntry = { v: 1, event: "created", at: "2026-01-01T00:00:00.000Z", key: "abc:0", type: "t2i", model, taskId: "task-1" };
    await writeFile(path, `${JSON.stringify(entry)}\n{"v":1,"event":"inte`);
    const journal = fileJournal(path);
    await journal.append({ ...entry, key: "def:0", taskId: "task-2", at: "2026-01-02T00:00:00.000Z" });
    expect((await journal.read()).map((read) => read.event === "created" && read.taskId)).toEqual(["task-1", "task-2"]);
    expect((await readFile(path, "utf8")).split("\n")).toHaveLength(4);
    expect((await journalHistory(journal)).map((task) => task.taskId)).toEqual(["task-2", "task-1"]);
  });

  it("keeps the order of concurrent appends, one line each", async () => {
    const path = join(directory, "order.jsonl");
    const journal = fileJournal(path);
    const entries = Array.from({ length: 20 }, (_, i): JournalEntry => ({ v: 1, event: "intent", at: new Date(i).toISOString(), key: `k:${i}`, type: "t2i", model }));
    await Promise.all(entries.map((entry) => journal.append(entry)));
    expect(await journal.read()).toEqual(entries);
  });
});
