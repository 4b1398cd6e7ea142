import { DEFAULT_FAKE_MODELS } from "./catalog.js";
import type { FakeClock } from "./clock.js";
import type { FakeModelType } from "./model-types.js";
import type { FakeModelSpec } from "./models.js";
import type { FakeOutcome, FakeTaskInfo } from "./tasks.js";

/** A time span in ms, fixed or computed per task. */
export type FakeDuration = number | ((task: FakeTaskInfo) => number);

/** Behaviour of a {@link FakeModellix} that {@link FakeModellix.configure} can change at any time. */
export interface FakeSettings {
  /**
   * When given, only these keys are valid; other keys get 401, and
   * `GET /apikey/validate` answers 200 `{ is_valid: false }`. Default: any key.
   */
  apiKeys?: readonly string[] | undefined;
  /** Team balance answered by `GET /team/balance`; at 0 or below submits answer 402. Default 100. */
  balance?: number;
  /** Team quota of pending + processing tasks; a submit beyond it answers 429. Default 3. */
  maxConcurrentTasks?: number;
  /** Requests per one-minute window before 429 "Rate limit exceeded". Default 600. */
  rateLimit?: number;
  /** How long a task stays `pending` after submit. Default 500 ms. */
  pendingMs?: FakeDuration;
  /**
   * Time from submit until the task is `success` or `failed` (it is `processing`
   * from `pendingMs` until then). Default 3000 ms for images, audio and transcripts,
   * 8000 ms for videos.
   */
  durationMs?: FakeDuration | undefined;
  /**
   * How long a finished task and its files are kept, fixed or per task: its
   * `result_expires_at` is the finish time plus this. Reads after that answer 404
   * "Task expired". Default 7 days.
   */
  retentionMs?: FakeDuration;
  /**
   * How `result_expires_at` and `extensions.submit_time` / `end_time` are written:
   * Unix `"ms"` (the default), Unix `"s"` or an `"iso"` string. The API does not
   * document the unit, so a client must read all three.
   */
  timeUnit?: "ms" | "s" | "iso";
  /**
   * How each task ends, decided at submit. Default: success, except that a
   * `prompt` or `text` containing `[fail]` fails with "Content Policy: The prompt was rejected",
   * and one containing `[cancel]` ends `canceled`.
   */
  outcome?: (task: FakeTaskInfo) => FakeOutcome;
  /**
   * Types whose models, when their parameters are not known, need a non-blank
   * `prompt`. Default `["text-to-image", "text-to-video"]`. Models with a parameter
   * list are checked against that list instead.
   */
  promptRequired?: readonly FakeModelType[];
  /**
   * The models the API has: listed by `GET /models`, the only ones a submit may
   * name. Default {@link DEFAULT_FAKE_MODELS} (the SDK's whole catalog).
   */
  models?: readonly FakeModelSpec[];
  /**
   * When true (the default), a submit to a model not in `models` answers 404, as
   * the API does. When false, any well-formed `provider/model_id` is accepted and
   * its type guessed from the id's ending (`-t2v`, `-i2v`, `-edit`, ...; else
   * text-to-image). A doc spelling of a listed model answers 404 either way.
   */
  strictModels?: boolean;
  /** Largest file `POST /media/files` accepts; a larger one answers 413. Default 16 MiB, the API's limit. */
  maxUploadBytes?: number;
  /**
   * Where webhook deliveries are posted (see `deliverWebhooks()`): any `fetch`, which
   * may answer any URL, e.g. `(url, init) => client.webhooks.handle(new Request(url, init))`.
   * Default: the global `fetch`, to localhost URLs only (a delivery to another host
   * is given up): the fake sends nothing off this machine.
   */
  webhookFetch?: typeof fetch | undefined;
  /**
   * How many more times an acknowledged delivery is sent, with the same delivery id
   * (the API may deliver an event more than once): to test that a receiver acts once. Default 0.
   */
  webhookRepeats?: number;
}

/** Options of a {@link FakeModellix}. */
export interface FakeModellixOptions extends FakeSettings {
  /**
   * A path in front of `/api/v1`, as a proxy mounts the API (e.g. `/api/modellix`
   * serves `/api/modellix/api/v1/...`). Default none: the API is at `/api/v1` of the origin.
   */
  prefix?: string;
  /** Time source for task progression, rate windows, expiry and the request log. Default `Date.now()`. */
  clock?: FakeClock;
}

/** {@link FakeSettings} with every default filled in. */
export type ResolvedSettings = Required<Omit<FakeSettings, "apiKeys" | "durationMs" | "webhookFetch">> &
  Pick<FakeSettings, "apiKeys" | "durationMs" | "webhookFetch">;

const SHORT_MS = 3000;
const VIDEO_MS = 8000;

/** The default outcome: success, unless the `prompt` or `text` input contains `[fail]` or `[cancel]`. */
export function defaultOutcome(task: FakeTaskInfo): FakeOutcome {
  const { prompt, text } = task.input;
  const marked = (mark: string) => [prompt, text].some((value) => typeof value === "string" && value.includes(mark));
  if (marked("[cancel]")) return "canceled";
  return marked("[fail]") ? { category: "Content Policy", detail: "The prompt was rejected" } : "success";
}

/**
 * Settings with defaults for everything `options` leaves undefined; `changes` is
 * applied on top, where an explicit `undefined` restores the default.
 */
export function resolveSettings(options: FakeSettings, changes: FakeSettings = {}): ResolvedSettings {
  const merged: FakeSettings = { ...options, ...changes };
  const defined = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  return {
    apiKeys: undefined,
    balance: 100,
    maxConcurrentTasks: 3,
    rateLimit: 600,
    pendingMs: 500,
    durationMs: undefined,
    retentionMs: 7 * 24 * 60 * 60 * 1000,
    timeUnit: "ms",
    outcome: defaultOutcome,
    promptRequired: ["text-to-image", "text-to-video"],
    models: DEFAULT_FAKE_MODELS,
    strictModels: true,
    maxUploadBytes: 16 * 1024 * 1024,
    webhookFetch: undefined,
    webhookRepeats: 0,
    ...defined,
  };
}

/** A task's pending, total and retention durations (ms) under these settings. */
export function taskTiming(settings: ResolvedSettings, task: FakeTaskInfo): { pendingMs: number; durationMs: number; retentionMs: number } {
  const fallback = task.output === "video" ? VIDEO_MS : SHORT_MS;
  return {
    pendingMs: resolveDuration(settings.pendingMs, task),
    durationMs: resolveDuration(settings.durationMs ?? fallback, task),
    retentionMs: resolveDuration(settings.retentionMs, task),
  };
}

function resolveDuration(duration: FakeDuration, task: FakeTaskInfo): number {
  return Math.max(0, typeof duration === "function" ? duration(task) : duration);
}
