import type { FakeClock } from "./clock.js";
import { DEFAULT_FAKE_MODELS, type FakeModelSpec } from "./models.js";
import { type FakeTaskType, isVideoType } from "./task-types.js";
import type { FakeOutcome, FakeTaskInfo } from "./tasks.js";

/** A time span in ms, fixed or computed per task. */
export type FakeDuration = number | ((task: FakeTaskInfo) => number);

/** Behaviour of a {@link FakeModellix} that {@link FakeModellix.configure} can change at any time. */
export interface FakeSettings {
  /** When given, only these keys are valid; other keys get 401 (and `is_valid: false`). Default: any key. */
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
   * from `pendingMs` until then). Default 3000 ms for images, 8000 ms for videos.
   */
  durationMs?: FakeDuration | undefined;
  /**
   * How long tasks and files are kept after submit, fixed or per task; reads after
   * that answer 404 "Task expired". Default 24 h.
   */
  retentionMs?: FakeDuration;
  /**
   * How each task ends, decided at submit. Default: success, except that a prompt
   * containing `[fail]` fails with "Content Policy: The prompt was rejected".
   */
  outcome?: (task: FakeTaskInfo) => FakeOutcome;
  /** Types whose submits need a non-empty `prompt`. Default `["t2i", "t2v"]`. */
  promptRequired?: readonly FakeTaskType[];
  /** Models listed by `GET /models`. Default {@link DEFAULT_FAKE_MODELS}. */
  models?: readonly FakeModelSpec[];
  /** When true, submits to a slug not in `models` answer 404 "Model not found". Default false. */
  strictModels?: boolean;
}

/** Options of a {@link FakeModellix}. */
export interface FakeModellixOptions extends FakeSettings {
  /** Path the API lives under. Default `/api/v1`. */
  basePath?: string;
  /** Time source for task progression, rate windows, expiry and the request log. Default `Date.now()`. */
  clock?: FakeClock;
}

/** {@link FakeSettings} with every default filled in. */
export type ResolvedSettings = Required<Omit<FakeSettings, "apiKeys" | "durationMs">> &
  Pick<FakeSettings, "apiKeys" | "durationMs">;

const IMAGE_MS = 3000;
const VIDEO_MS = 8000;

/** The default outcome: success, unless the prompt contains `[fail]`. */
export function defaultOutcome(task: FakeTaskInfo): FakeOutcome {
  const { prompt } = task.input;
  return typeof prompt === "string" && prompt.includes("[fail]")
    ? { category: "Content Policy", detail: "The prompt was rejected" }
    : "success";
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
    retentionMs: 24 * 60 * 60 * 1000,
    outcome: defaultOutcome,
    promptRequired: ["t2i", "t2v"],
    models: DEFAULT_FAKE_MODELS,
    strictModels: false,
    ...defined,
  };
}

/** A task's pending, total and retention durations (ms) under these settings. */
export function taskTiming(settings: ResolvedSettings, task: FakeTaskInfo): { pendingMs: number; durationMs: number; retentionMs: number } {
  const fallback = isVideoType(task.type) ? VIDEO_MS : IMAGE_MS;
  return {
    pendingMs: resolveDuration(settings.pendingMs, task),
    durationMs: resolveDuration(settings.durationMs ?? fallback, task),
    retentionMs: resolveDuration(settings.retentionMs, task),
  };
}

function resolveDuration(duration: FakeDuration, task: FakeTaskInfo): number {
  return Math.max(0, typeof duration === "function" ? duration(task) : duration);
}
