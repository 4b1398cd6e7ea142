import { ModellixError } from "./core/errors.js";
import { explainExpiry } from "./core/expiry.js";
import type { LevelledLogger } from "./core/logger.js";
import { onDemand } from "./core/on-demand.js";
import { pathOf } from "./core/path.js";
import { isRetryableRead } from "./core/retry.js";
import { type TaskSnapshot, isTerminal } from "./core/task-data.js";
import { parseApiTime } from "./core/time.js";
import type { RequestOptions, Transport } from "./core/transport.js";
import { type PollSchedule, RunTimes, nextPollDelay } from "./poll-schedule.js";

/** Someone following a task: every reading in order, or the error that ended the polling. */
export interface Watcher {
  onSnapshot(snapshot: TaskSnapshot): void;
  onError(error: ModellixError): void;
  /** A quota slot's watcher: it follows the task in the background (its polls do not keep Node alive). */
  readonly holdsSlot?: boolean;
}

/** What is known of a task when a handle on it is made. */
export interface TaskInfo {
  id: string;
  type?: string | undefined;
  model?: string | undefined;
  /** When the task was submitted: times the polls, and tells an expired task from an unknown one. */
  createdAt?: Date | undefined;
}

/** What the pollers need from their client. */
export interface PollerDeps {
  transport: Transport;
  /** The quota queue: how many submits wait for a slot. */
  queue: { readonly waiting: number };
  logger: LevelledLogger;
  schedule: PollSchedule;
}

/** The pollers of one client: at most one per task id, each there only while it has something to do. */
export class Pollers {
  readonly #byId = new Map<string, Poller>();
  readonly runTimes = new RunTimes();
  constructor(readonly deps: PollerDeps) {}

  /** The live poller of `info.id`, made if there is none, told what `info` knows. */
  of(info: TaskInfo): Poller {
    const poller = this.#byId.get(info.id) ?? new Poller(this, info);
    this.#byId.set(info.id, poller);
    poller.type ??= info.type;
    poller.model ??= info.model;
    poller.createdAt ??= info.createdAt;
    return poller;
  }

  /** The live poller of `id`, if any, without making one. */
  peek(id: string): Poller | undefined {
    return this.#byId.get(id);
  }

  /** How many pollers are live. */
  get size(): number {
    return this.#byId.size;
  }

  /** @internal A poller with nothing left to do leaves. */
  leave(poller: Poller): void {
    if (this.#byId.get(poller.id) === poller) this.#byId.delete(poller.id);
  }
}

/**
 * The one polling loop of a task id. It reads `GET /tasks/{id}` while someone
 * watches, keeps the readings in order (an older answer never replaces a newer
 * one), tells every watcher each reading, and leaves its client's registry
 * when the task ends or nobody watches.
 */
export class Poller {
  readonly id: string;
  type: string | undefined;
  model: string | undefined;
  createdAt: Date | undefined;
  latest: TaskSnapshot | undefined;
  readonly #pollers: Pollers;
  readonly #watchers = new Set<Watcher>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling = false;
  #polls = 0;
  #sent = 0;
  #applied = 0;

  constructor(pollers: Pollers, info: TaskInfo) {
    void loadTaskReader().catch(() => undefined); // fetched while the first poll is still ahead
    this.#pollers = pollers;
    this.id = info.id;
  }

  /** Tells `watcher` the latest reading at once, then every reading until the task ends or {@link unwatch}. */
  watch(watcher: Watcher): void {
    this.#watchers.add(watcher);
    if (this.latest) deliver(watcher, this.latest);
    if (!this.#watchers.has(watcher)) return; // the latest reading ended the task
    if (!watcher.holdsSlot) this.#timer?.ref?.();
    this.#schedule();
  }

  /** Stops telling `watcher`; with nobody left, polling stops and the poller leaves. */
  unwatch(watcher: Watcher): void {
    this.#watchers.delete(watcher);
    if (this.#watchers.size === 0) this.#end();
    else if (this.#background) this.#timer?.unref?.();
  }

  /** Reads the task once and tells every watcher; resolves with the newest reading. */
  async read(options: RequestOptions & { background?: boolean } = {}): Promise<TaskSnapshot> {
    const seq = ++this.#sent;
    const { background, ...request } = options;
    try {
      const [answer, { parseTaskData }] = await Promise.all([
        this.#deps.transport.get(pathOf("tasks", this.id), request, { background }),
        loadTaskReader(),
      ]);
      const snapshot = parseTaskData(answer.data, this.id, (url, how) => this.#openFile(url, how));
      if (this.model === undefined && snapshot.model) await this.#learnModel(snapshot.model);
      this.#publish(snapshot, seq);
      return this.latest ?? snapshot;
    } catch (error) {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.latest?.expiresAt });
    } finally {
      if (this.#watchers.size === 0) this.#end();
    }
  }

  get #deps(): PollerDeps {
    return this.#pollers.deps;
  }

  /** True when only quota slots watch: nobody awaits, so the timers do not keep Node alive. */
  get #background(): boolean {
    for (const watcher of this.#watchers) if (!watcher.holdsSlot) return false;
    return true;
  }

  #schedule(): void {
    if (this.#timer || this.#polling || this.#watchers.size === 0) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#nextDelay());
    if (this.#background) this.#timer.unref?.();
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    this.#polling = true;
    this.#polls++;
    try {
      await this.read({ background: this.#background });
    } catch (error) {
      const failure = error instanceof ModellixError ? error : new ModellixError(String(error), { cause: error });
      // An outage, a 5xx or a 429 after the transport's own retries: poll on (each wait has its own deadline).
      if (!isRetryableRead(failure)) return this.#fail(failure);
      this.#deps.logger.log("info", `polling task ${this.id} failed (${failure.message}); polling on`, { taskId: this.id });
    } finally {
      this.#polling = false;
    }
    this.#schedule();
  }

  #nextDelay(): number {
    const slotHeld = [...this.#watchers].some((watcher) => watcher.holdsSlot === true);
    if (this.#polls === 0 && !this.latest && !slotHeld) return 0; // a resumed task: read it at once
    const { schedule, queue } = this.#deps;
    const elapsedMs = this.createdAt && Date.now() - this.createdAt.getTime();
    const runTime = this.#pollers.runTimes.of(this.model ?? this.type);
    return nextPollDelay({ elapsedMs, polls: this.#polls, runTime, slotWanted: slotHeld && queue.waiting > 0 }, schedule);
  }

  /** Applies a reading unless a newer or final one was applied, then tells every watcher; at the end, the poller leaves. */
  #publish(snapshot: TaskSnapshot, seq: number): void {
    if (seq < this.#applied || (this.latest && isTerminal(this.latest.status))) return;
    if (snapshot.status !== this.latest?.status) {
      const level = isTerminal(snapshot.status) ? "info" : "debug";
      this.#deps.logger.log(level, `task ${this.id} is ${snapshot.rawStatus}`, { taskId: this.id, status: snapshot.status, model: this.model });
    }
    this.latest = snapshot;
    this.#applied = seq;
    const watchers = [...this.#watchers];
    if (isTerminal(snapshot.status)) {
      if (snapshot.status === "success") this.#learnRunTime(snapshot);
      this.#watchers.clear();
      this.#end();
    }
    for (const watcher of watchers) deliver(watcher, snapshot);
  }

  /** A poll failed for good: every watcher is told, and the poller leaves. */
  #fail(error: ModellixError): void {
    this.#deps.logger.log("warn", `stopped polling task ${this.id}: ${error.message}`, { taskId: this.id });
    const watchers = [...this.#watchers];
    this.#watchers.clear();
    this.#end();
    for (const watcher of watchers) watcher.onError(error);
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pollers.leave(this);
  }

  /** Records how long the task ran: from its own `extensions` when it reports them, else from its submit to now. */
  #learnRunTime(snapshot: TaskSnapshot): void {
    const result = snapshot.data.result as { extensions?: Record<string, unknown> } | undefined;
    const start = parseApiTime(result?.extensions?.submit_time);
    const end = parseApiTime(result?.extensions?.end_time);
    const ms = start && end ? end.getTime() - start.getTime() : this.createdAt && Date.now() - this.createdAt.getTime();
    const key = this.model ?? this.type;
    if (ms !== undefined && key !== undefined) this.#pollers.runTimes.add(key, ms);
  }

  /** Names a resumed task's model by the slug a submit would report: the API's `model_id` when it is a slug, else the one catalog model with that id. */
  async #learnModel(modelId: string): Promise<void> {
    if (modelId.includes("/")) {
      this.model = modelId;
      return;
    }
    const { slugOfModelId } = await import("./models/prepare.js");
    this.model ??= await slugOfModelId(modelId); // the catalog data may load on this first use
  }

  /** Downloads one of this task's files; a 404 past its retention is a `TaskExpiredError`. */
  #openFile(url: string, options: RequestOptions): Promise<Response> {
    return this.#deps.transport.download(url, options).catch((error: unknown) => {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.latest?.expiresAt });
    });
  }
}

/** The code that reads a task's answer, loaded once a task exists: a browser does not fetch it before its first submit. */
const loadTaskReader = onDemand(() => import("./core/task-reader.js"));

/** Hands a reading to one watcher; a watcher that throws fails alone, with its own error. */
function deliver(watcher: Watcher, snapshot: TaskSnapshot): void {
  try {
    watcher.onSnapshot(snapshot);
  } catch (error) {
    watcher.onError(error instanceof ModellixError ? error : new ModellixError(`A task watcher threw: ${String(error)}`, { cause: error }));
  }
}
