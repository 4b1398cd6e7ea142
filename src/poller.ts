import { ModellixError } from "./core/errors.js";
import { explainExpiry } from "./core/expiry.js";
import type { LevelledLogger } from "./core/logger.js";
import { onDemand } from "./core/on-demand.js";
import { pathOf } from "./core/path.js";
import { isRetryableRead } from "./core/retry.js";
import { type TaskSnapshot, isTerminal } from "./core/task-data.js";
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
  /** Submitted with a webhook: polled only as a safety net (`pollInterval.webhookMs`). */
  webhook?: boolean | undefined;
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
    const poller = this.#byId.get(info.id) ?? new Poller(this, info.id);
    this.#byId.set(info.id, poller);
    poller.type ??= info.type;
    poller.model ??= info.model;
    poller.createdAt ??= info.createdAt;
    poller.webhook ||= info.webhook === true;
    return poller;
  }

  /** The live poller of `id`, if any, without making one. */
  peek(id: string): Poller | undefined {
    return this.#byId.get(id);
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
  type: string | undefined;
  model: string | undefined;
  createdAt: Date | undefined;
  webhook = false;
  latest: TaskSnapshot | undefined;
  readonly #watchers = new Set<Watcher>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling = false;
  #polls = 0;
  #sent = 0;
  #applied = 0;

  constructor(
    readonly pollers: Pollers,
    readonly id: string,
  ) {
    void loadTaskReader().catch(() => undefined); // fetched while the first poll is still ahead
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
      const path = pathOf("tasks", this.id);
      const [answer, { parseTaskData }] = await Promise.all([this.pollers.deps.transport.get(path, request, { background }), loadTaskReader()]);
      const snapshot = parseTaskData(answer.data, this.id, (url, how) => this.#openFile(url, how));
      if (this.model === undefined && snapshot.model) await this.#learnModel(snapshot.model);
      if (seq >= this.#applied && !(this.latest && isTerminal(this.latest.status))) this.#publish(snapshot, seq);
      return this.latest ?? snapshot;
    } catch (error) {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.latest?.expiresAt });
    } finally {
      if (this.#watchers.size === 0) this.#end();
    }
  }

  /** True when only quota slots watch: nobody awaits, so the timers do not keep Node alive. */
  get #background(): boolean {
    return [...this.#watchers].every((watcher) => watcher.holdsSlot === true);
  }

  #schedule(): void {
    if (this.#timer || this.#polling || this.#watchers.size === 0) return;
    const slotHeld = [...this.#watchers].some((watcher) => watcher.holdsSlot === true);
    const { schedule, queue } = this.pollers.deps;
    const elapsedMs = this.createdAt && Math.max(0, Date.now() - this.createdAt.getTime()); // a clock set back does not push polls out
    const runTime = this.pollers.runTimes.of(this.model ?? this.type);
    const first = this.#polls === 0 && !this.latest && !slotHeld; // a resumed task: read it at once
    const delay = first ? 0 : nextPollDelay({ elapsedMs, polls: this.#polls, runTime, slotWanted: slotHeld && queue.waiting > 0, webhook: this.webhook }, schedule);
    this.#timer = setTimeout(() => void this.#poll(), delay);
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
      if (!isRetryableRead(failure)) return this.#finish(`stopped polling task ${this.id}: ${failure.message}`, (watcher) => watcher.onError(failure));
      this.pollers.deps.logger.log("info", `polling task ${this.id} failed (${failure.message}); polling on`, { taskId: this.id });
    } finally {
      this.#polling = false;
    }
    this.#schedule();
  }

  /** Applies a reading and tells every watcher; at the end of the task, learns its run time and leaves. */
  #publish(snapshot: TaskSnapshot, seq: number): void {
    const changed = snapshot.status !== this.latest?.status;
    this.latest = snapshot;
    this.#applied = seq;
    if (!isTerminal(snapshot.status)) {
      if (changed) this.pollers.deps.logger.log("debug", `task ${this.id} is ${snapshot.rawStatus}`, { taskId: this.id, status: snapshot.status, model: this.model });
      for (const watcher of [...this.#watchers]) deliver(watcher, snapshot);
      return;
    }
    if (snapshot.status === "success") this.#learnRunTime(snapshot);
    this.#finish(`task ${this.id} is ${snapshot.rawStatus}`, (watcher) => deliver(watcher, snapshot), "info");
  }

  /** The end of the polling: logs why, lets every watcher go with `tell`, and leaves. */
  #finish(message: string, tell: (watcher: Watcher) => void, level: "info" | "warn" = "warn"): void {
    this.pollers.deps.logger.log(level, message, { taskId: this.id, status: this.latest?.status, model: this.model });
    const watchers = [...this.#watchers];
    this.#watchers.clear();
    this.#end();
    for (const watcher of watchers) tell(watcher);
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.pollers.leave(this);
  }

  /** Records how long the task ran: as it reports (`runTimeMs`), else from its submit to now. */
  #learnRunTime({ runTimeMs }: TaskSnapshot): void {
    const ms = runTimeMs ?? (this.createdAt && Date.now() - this.createdAt.getTime());
    const key = this.model ?? this.type;
    if (ms !== undefined && key !== undefined) this.pollers.runTimes.add(key, ms);
  }

  /** Names a resumed task's model by the slug a submit would report: the API's `model_id` when it is a slug, else the one catalog model with that id. */
  async #learnModel(modelId: string): Promise<void> {
    const slug = modelId.includes("/") ? modelId : await (await import("./models/prepare.js")).slugOfModelId(modelId);
    this.model ??= slug;
  }

  /** Downloads one of this task's files; a 404 past its retention is a `TaskExpiredError`. */
  #openFile(url: string, options: RequestOptions): Promise<Response> {
    return this.pollers.deps.transport.download(url, options).catch((error: unknown) => {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.latest?.expiresAt });
    });
  }
}

/** The code that reads a task's answer, in the first submit's chunk (which re-exports it): a browser does not fetch it before then. */
const loadTaskReader = onDemand(() => import("./models/prepare.js"));

/** Hands a reading to one watcher; a watcher that throws fails alone, with its own error. */
function deliver(watcher: Watcher, snapshot: TaskSnapshot): void {
  try {
    watcher.onSnapshot(snapshot);
  } catch (error) {
    watcher.onError(error instanceof ModellixError ? error : new ModellixError(`A task watcher threw: ${String(error)}`, { cause: error }));
  }
}
