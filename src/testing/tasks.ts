import type { FakeModelType, FakeOutputKind } from "./model-types.js";

/** What the fake knows about a task when it is submitted; passed to the duration and outcome options. */
export interface FakeTaskInfo {
  /** Task id, e.g. `task-1-k3j9x2`. */
  readonly id: string;
  /** The model's API type, e.g. `text-to-image` (from the model list; guessed for unknown models). */
  readonly type: FakeModelType;
  /** What the task produces: image, video or audio files, or (speech-to-text) a transcript. */
  readonly output: FakeOutputKind;
  /** Provider segment of the submit path, decoded. */
  readonly provider: string;
  /** Model id segment of the submit path, decoded. */
  readonly modelId: string;
  /** `provider/modelId`. */
  readonly model: string;
  /** True when it was submitted through the `/async` alias path. */
  readonly viaAlias: boolean;
  /** The submitted JSON body. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Submit time on the fake's clock (ms). */
  readonly createdAt: number;
}

/** A task failure: the category and detail the API reports (`"Category: detail"`), and an error code. */
export interface FakeTaskFailure {
  /** The first part of the message, e.g. `Content Policy`. */
  category: string;
  /** The rest of the message, e.g. `The prompt was rejected`. */
  detail: string;
  /** Machine-readable code (default: the category in UPPER_SNAKE_CASE). */
  code?: string;
}

/** How a task ends: `"success"` or a failure. */
export type FakeOutcome = "success" | "canceled" | FakeTaskFailure;

/** A task's status as the API reports it. */
export type FakeTaskStatus = "pending" | "processing" | "success" | "failed" | "canceled";

/** A created task as {@link FakeModellix.tasks} lists it, evaluated at the clock's now. */
export interface FakeTask extends FakeTaskInfo {
  /** Status at now. */
  readonly status: FakeTaskStatus;
  /** When `pending` turns into `processing` (ms). */
  readonly startedAt: number;
  /** When the task reaches `success` or `failed` (ms). */
  readonly finishedAt: number;
  /**
   * When the task and its files are forgotten (ms): its `result_expires_at`, the finish
   * time plus the retention. Reads from then on answer 404 "Task expired".
   */
  readonly expiresAt: number;
  /** True once now ≥ `expiresAt`. */
  readonly expired: boolean;
  /** The outcome the task has (or will have) when it finishes. */
  readonly outcome: FakeOutcome;
}

/** A stored task: its info plus its precomputed timeline and outcome. */
export interface TaskRecord extends FakeTaskInfo {
  /** When it turns `processing` (ms). */
  readonly startedAt: number;
  /** When it reaches `success` or `failed` (ms). */
  readonly finishedAt: number;
  /** Its `result_expires_at` (ms). */
  readonly expiresAt: number;
  /** How it ends. */
  readonly outcome: FakeOutcome;
}

/** The status of `task` at `now`; tasks are never advanced by timers, only read against the clock. */
export function statusAt(task: TaskRecord, now: number): FakeTaskStatus {
  if (now < task.startedAt) return "pending";
  if (now < task.finishedAt) return "processing";
  return task.outcome === "success" || task.outcome === "canceled" ? task.outcome : "failed";
}

/** All created tasks, by id. */
export class TaskStore {
  #tasks = new Map<string, TaskRecord>();
  #maxConcurrent: number | undefined = 0;

  /** Stores a task. */
  add(task: TaskRecord): void {
    this.#tasks.set(task.id, task);
    this.#maxConcurrent = undefined;
  }

  /** The task with this id, expired or not. */
  get(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  /** How many tasks are pending or processing at `now`. */
  activeAt(now: number): number {
    let active = 0;
    for (const task of this.#tasks.values()) if (task.createdAt <= now && now < task.finishedAt) active += 1;
    return active;
  }

  /**
   * The most tasks ever pending or processing at the same moment, from the tasks'
   * `[createdAt, finishedAt)` intervals (so it is exact although status is lazy).
   */
  maxConcurrent(): number {
    if (this.#maxConcurrent !== undefined) return this.#maxConcurrent;
    const events: Array<[time: number, delta: number]> = [];
    for (const task of this.#tasks.values()) {
      if (task.finishedAt <= task.createdAt) continue;
      events.push([task.createdAt, 1], [task.finishedAt, -1]);
    }
    // Ends sort before starts at the same instant: a task ending as another starts does not overlap it.
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let active = 0;
    let max = 0;
    for (const [, delta] of events) {
      active += delta;
      max = Math.max(max, active);
    }
    this.#maxConcurrent = max;
    return max;
  }

  /** Every task, in creation order, evaluated at `now`. */
  list(now: number): FakeTask[] {
    return [...this.#tasks.values()].map((task) => ({
      ...task,
      status: statusAt(task, now),
      expired: now >= task.expiresAt,
    }));
  }

  /** The number of tasks created. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Forgets every task. */
  clear(): void {
    this.#tasks.clear();
    this.#maxConcurrent = 0;
  }
}
