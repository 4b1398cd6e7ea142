import { ModellixError, NotFoundError, TaskExpiredError } from "./core/errors.js";
import { explainExpiry } from "./core/expiry.js";
import type { LevelledLogger } from "./core/logger.js";
import { onDemand } from "./core/on-demand.js";
import { pathOf } from "./core/path.js";
import type { TaskQueue } from "./core/quota.js";
import { isRetryableRead } from "./core/retry.js";
import { type TaskSnapshot, isTerminal } from "./core/task-data.js";
import type { RequestOptions, Transport } from "./core/transport.js";

/** How often a task is polled: `initialMs` first, then growing by `factor` up to `maxMs`. */
export interface PollSchedule {
  /** Delay before the first poll of a new task, and the first interval (default 2000). */
  initialMs: number;
  /** Longest interval between polls (default 5000). */
  maxMs: number;
  /** Growth of the interval after each poll (default 1.5). */
  factor: number;
}

/** What tasks need from their client. */
export interface TaskContext {
  transport: Transport;
  queue: TaskQueue;
  poll: PollSchedule;
  waitTimeouts: Partial<Record<string, number>>;
  logger: LevelledLogger;
  /** Overrides {@link quotaHoldFor}'s defaults. */
  quotaHoldMs?: number | undefined;
  /** The one poller per task id of this client. */
  pollers: PollerRegistry;
}

/** How a task came to be known: submitted by this client (it holds a quota slot) or resumed by id. */
export interface TaskOrigin {
  id: string;
  type?: string | undefined;
  model?: string | undefined;
  /** When the task was created; tells an expired task from an unknown one. */
  createdAt?: Date | undefined;
  /** The quota slot the task holds until it ends. */
  slotId?: string | undefined;
}

/** Someone following a task: every reading in order, or the error that ended the polling. */
export interface Watcher {
  onSnapshot(snapshot: TaskSnapshot): void;
  onError(error: ModellixError): void;
}

const imageTypes: ReadonlySet<string> = new Set(["t2i", "i2i", "expansion"]);

/** The image figure for image types, else (video, audio and unknown types) the video figure. */
function byKind(type: string | undefined, image: number, video: number): number {
  return type !== undefined && imageTypes.has(type) ? image : video;
}

/** The default `wait()` timeout of a model type: 3 minutes for image types, 10 minutes for the others. */
export function defaultWaitTimeout(type: string | undefined): number {
  return byKind(type, 180_000, 600_000);
}

/**
 * How long a quota slot stays taken when the SDK cannot tell whether its task
 * runs: `quotaHoldMs` if set, else about the longest a task of the type usually
 * takes (images 30–60 s, videos 60–120 s), so the team quota is not over-committed.
 */
export function quotaHoldFor(context: Pick<TaskContext, "quotaHoldMs">, type: string | undefined): number {
  return context.quotaHoldMs ?? byKind(type, 60_000, 120_000);
}

/**
 * The one polling loop of a task id: it reads `GET /tasks/{id}`, keeps the
 * readings in order (an older answer never replaces a newer one, nothing
 * replaces a final one), tells every watcher, and holds the task's quota slot
 * until the task ends. It polls while someone watches, or while it holds a
 * slot (then on timers that do not keep Node alive).
 */
export class Poller {
  readonly id: string;
  type: string | undefined;
  model: string | undefined;
  createdAt: Date | undefined;

  readonly #context: TaskContext;
  /** Replaced, never changed in place: a delivery loops over the list as it was. */
  #watchers: readonly Watcher[] = [];
  #slotId: string | undefined;
  #latest: TaskSnapshot | undefined;
  #latestSeq = 0;
  #nextSeq = 0;
  /** The running poll loop's number, 0 when none runs: a read that outlives its loop does not schedule the next poll. */
  #loop = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polls = 0;

  constructor(context: TaskContext, origin: TaskOrigin) {
    void loadTaskReader().catch(() => undefined); // fetched while the first poll is still ahead
    this.#context = context;
    this.id = origin.id;
    this.type = origin.type;
    this.model = origin.model;
    this.createdAt = origin.createdAt;
    this.adopt(origin);
  }

  /** Fills in what another handle on the same id knows (type, model, creation time, its quota slot). */
  adopt(origin: Omit<TaskOrigin, "id">): void {
    this.type ??= origin.type;
    this.model ??= origin.model;
    this.createdAt ??= origin.createdAt;
    if (origin.slotId && !this.#slotId && !this.#ended) {
      this.#slotId = origin.slotId;
      this.#ensureLoop();
    }
  }

  /** The newest reading, without a request. */
  get latest(): TaskSnapshot | undefined {
    return this.#latest;
  }

  /** True when nothing keeps this poller alive: no watcher, no loop, no slot. */
  get idle(): boolean {
    return this.#watchers.length === 0 && this.#loop === 0 && !this.#slotId;
  }

  get #ended(): boolean {
    return this.#latest !== undefined && isTerminal(this.#latest.status);
  }

  /** Reads the task once and publishes the reading in order; resolves with the newest reading. */
  async read(options: RequestOptions & { background?: boolean } = {}): Promise<TaskSnapshot> {
    const seq = ++this.#nextSeq;
    const { background, ...request } = options;
    let snapshot: TaskSnapshot;
    try {
      const [response, { parseTaskData }] = await Promise.all([
        this.#context.transport.get(pathOf("tasks", this.id), request, { background }),
        loadTaskReader(),
      ]);
      snapshot = parseTaskData(response.data, this.id, (url, options) => this.#openFile(url, options));
    } catch (error) {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.#latest?.expiresAt });
    }
    if (this.model === undefined && snapshot.model) await this.#learnModel(snapshot.model);
    this.#publish(snapshot, seq);
    return this.#latest ?? snapshot;
  }

  /**
   * Names a resumed task's model by the slug a submit would report: the API's
   * `model_id` when it is a slug, else the one catalog model with that id.
   */
  async #learnModel(modelId: string): Promise<void> {
    if (modelId.includes("/")) {
      this.model = modelId;
      return;
    }
    const { slugOfModelId } = await import("./models/prepare.js");
    const slug = await slugOfModelId(modelId); // the catalog data may load on this first use
    this.model ??= slug;
  }

  /**
   * Starts telling `watcher` every reading, until {@link unwatch} or the end of
   * the task. A finished task's reading is delivered at once, or, past its
   * `result_expires_at`, a `TaskExpiredError` (its files are gone). Returns the
   * poller that watches: this one, put back in the client's registry if it was
   * let go, or the one that replaced it there (a handle may hold a poller a while).
   */
  watch(watcher: Watcher): Poller {
    const live = this.#context.pollers.attach(this);
    if (live !== this) return live.watch(watcher);
    const expiresAt = this.#latest?.expiresAt;
    if (this.#ended && expiresAt && Date.now() >= expiresAt.getTime()) {
      watcher.onError(new TaskExpiredError({ status: 404, message: "Not Found: the task's results expired", taskId: this.id, expiresAt }));
      return this;
    }
    if (this.#latest) deliver(watcher, this.#latest);
    if (this.#ended) return this;
    this.#watchers = this.#watchers.concat(watcher); // sized to fit, unlike a spread
    this.#ensureLoop();
    return this;
  }

  /** Stops telling `watcher`; with no watcher left, polling stops, or goes on in the background while the task holds a slot. */
  unwatch(watcher: Watcher): void {
    if (!this.#watchers.includes(watcher)) return;
    this.#watchers = this.#watchers.filter((other) => other !== watcher);
    if (this.#watchers.length > 0 || this.#loop === 0) return;
    if (this.#slotId) this.#timer?.unref?.();
    else this.#stopLoop();
  }

  #ensureLoop(): void {
    if (this.#loop !== 0) {
      if (this.#watchers.length > 0) this.#timer?.ref?.();
      return;
    }
    this.#loop = ++loops;
    this.#schedule();
  }

  /** Stops polling at once (synchronously), so a watcher added in the same tick starts a fresh loop. */
  #stopLoop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#loop = 0;
    this.#context.pollers.release(this);
  }

  /** Sets the timer of the next poll: it keeps Node alive only while someone watches. */
  #schedule(): void {
    this.#timer = setTimeout(pollNow, this.#nextDelay(), this);
    if (this.#watchers.length === 0) this.#timer.unref?.();
  }

  /** One poll of the loop, then the next one's timer; a read still in flight when its loop stops is published in order, and ends there. */
  async poll(): Promise<void> {
    const loop = this.#loop;
    this.#timer = undefined;
    try {
      await this.read({ background: this.#watchers.length === 0 });
      await this.#renewSlot();
    } catch (error) {
      if (loop !== this.#loop || this.#giveUpOn(error)) return;
    }
    if (loop === this.#loop && !this.#ended) this.#schedule();
  }

  /**
   * After a failed poll: a retryable failure (outage, 5xx, 429 after the
   * transport's own retries) keeps the loop going, since each wait has its own
   * timeout; any other ends it. Returns true when the loop ends.
   */
  #giveUpOn(error: unknown): boolean {
    const failure = error instanceof ModellixError ? error : new ModellixError(String(error), { cause: error });
    if (isRetryableRead(failure)) {
      this.#context.logger.log("info", `polling task ${this.id} failed (${failure.message}); polling on`, { taskId: this.id });
      return false;
    }
    this.#context.logger.log("warn", `stopped polling task ${this.id}: ${failure.message}`, { taskId: this.id });
    // A task that is gone holds no quota; one that may still run keeps its slot a while.
    this.#releaseSlot(failure instanceof NotFoundError ? undefined : quotaHoldFor(this.#context, this.type));
    const watchers = this.#watchers;
    this.#watchers = [];
    this.#stopLoop();
    for (const watcher of watchers) watcher.onError(failure);
    return true;
  }

  #nextDelay(): number {
    const { initialMs, maxMs, factor } = this.#context.poll;
    const polls = this.#polls++;
    if (polls === 0 && !this.#slotId && !this.#latest) return 0;
    const delay = Math.min(maxMs, initialMs * factor ** polls);
    // Submits wait for this task's quota slot: notice its end within `initialMs`, not `maxMs`.
    return this.#slotId && this.#context.queue.waiting > 0 ? Math.min(delay, initialMs) : delay;
  }

  /** Downloads one of this task's files; a 404 past its retention is a `TaskExpiredError`. */
  #openFile(url: string, options: RequestOptions): Promise<Response> {
    return this.#context.transport.download(url, options).catch((error: unknown) => {
      throw explainExpiry(error, this.id, { createdAt: this.createdAt, expiresAt: this.#latest?.expiresAt });
    });
  }

  /** Applies a reading unless a newer one (or a final one) was applied already, then tells every watcher. */
  #publish(snapshot: TaskSnapshot, seq: number): void {
    if (this.#ended || seq < this.#latestSeq) return;
    const changed = snapshot.status !== this.#latest?.status;
    this.#latest = snapshot;
    this.#latestSeq = seq;
    if (changed) {
      const level = isTerminal(snapshot.status) ? "info" : "debug";
      this.#context.logger.log(level, `task ${this.id} is ${snapshot.rawStatus}`, { taskId: this.id, status: snapshot.status, model: this.model });
    }
    const watchers = this.#watchers;
    if (isTerminal(snapshot.status)) {
      this.#releaseSlot();
      this.#watchers = [];
      this.#stopLoop(); // a reading from status() can end the task too: nothing is left to poll for
    }
    for (const watcher of watchers) deliver(watcher, snapshot);
  }

  #releaseSlot(afterMs?: number): void {
    if (!this.#slotId) return;
    const slotId = this.#slotId;
    this.#slotId = undefined;
    Promise.resolve()
      .then(() => this.#context.queue.release(slotId, { afterMs }))
      .catch((error: unknown) => {
        this.#context.logger.log("warn", `could not release the quota slot of task ${this.id}`, { taskId: this.id, error: String(error) });
      });
  }

  /** Keeps the slot's lease alive; a coordinator that cannot be reached must not stop the polling. */
  async #renewSlot(): Promise<void> {
    if (!this.#slotId) return;
    try {
      await this.#context.queue.renew(this.#slotId);
    } catch (error) {
      this.#context.logger.log("warn", `could not renew the quota slot of task ${this.id}`, { taskId: this.id, error: String(error) });
    }
  }
}

/** The code that reads a task's answer, loaded once a task exists: a browser does not fetch it before its first submit. */
const loadTaskReader = onDemand(() => import("./core/task-reader.js"));

/** Numbers the poll loops, so that each poller can tell its running loop from one it stopped. */
let loops = 0;

/** A poll timer's callback (a shared function: no closure per poller). */
function pollNow(poller: Poller): void {
  void poller.poll();
}

/** Hands a reading to one watcher; a watcher that throws fails alone, with its own error. */
function deliver(watcher: Watcher, snapshot: TaskSnapshot): void {
  try {
    watcher.onSnapshot(snapshot);
  } catch (error) {
    watcher.onError(error instanceof ModellixError ? error : new ModellixError(`A task watcher threw: ${String(error)}`, { cause: error }));
  }
}

/**
 * The pollers of one client, one per task id, so that every handle on an id
 * (the submit's own Task, `tasks.retrieve`, `batch`) shares one loop. A poller
 * leaves when nothing keeps it alive; a handle that still has it puts it back.
 */
export class PollerRegistry {
  readonly #byId = new Map<string, Poller>();

  /** The poller of `origin.id`, created or updated with what `origin` knows. */
  for(context: TaskContext, origin: TaskOrigin): Poller {
    const current = this.#byId.get(origin.id);
    if (current) {
      current.adopt(origin);
      return current;
    }
    const poller = new Poller(context, origin);
    this.#byId.set(origin.id, poller);
    return poller;
  }

  /** The live poller for `poller.id`: `poller` itself put back, or the one that replaced it (told what `poller` knows). */
  attach(poller: Poller): Poller {
    const current = this.#byId.get(poller.id);
    if (!current) {
      this.#byId.set(poller.id, poller);
      return poller;
    }
    if (current !== poller) current.adopt(poller);
    return current;
  }

  /** Forgets an idle poller. */
  release(poller: Poller): void {
    if (poller.idle && this.#byId.get(poller.id) === poller) this.#byId.delete(poller.id);
  }
}
