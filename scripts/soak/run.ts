import Modellix, { type TaskPromise, type TaskResult } from "modellix";
import { API_TYPES } from "modellix/catalog";
import type { PollSchedule } from "../../src/poll-schedule.js";
import type { FakeFault, FakeModelSpec, FakeModellix, FakeRequestRecord, FakeStats, FakeTask, FakeTaskInfo } from "modellix/testing";
import { type PlanOptions, type SoakType, type TaskPlan, planTasks } from "./plan.js";

/** Where the soak sends its requests: a fake, reached in-process (`fetch`) or over HTTP (`baseURL` of `createFakeServer`). */
export interface SoakTarget {
  fake: FakeModellix;
  baseURL: string;
  fetch?: typeof fetch | undefined;
}

/** How a soak runs: the plan, the client's settings, and the clock. */
export interface SoakSettings extends PlanOptions {
  /** The team's quota, at the fake and in the client's limiter. */
  quota: number;
  /** How long a task stays pending at the fake. */
  pendingMs: number;
  poll: PollSchedule;
  /** The client's `quotaHoldMs`: at least the longest task, so an unknown task never over-commits the quota. */
  quotaHoldMs: number;
  /** Advances fake timers by `ms`; without it the soak runs on real time. */
  tick?: ((ms: number) => Promise<unknown>) | undefined;
  /** Give up after this much (fake or real) time; unsettled tasks count as hung. */
  deadlineMs: number;
}

/** One logical submit and how it ended. */
export interface TaskRun {
  plan: TaskPlan;
  /** The faults injected for it, in the order its requests meet them. */
  injected: { submit: FakeFault[]; poll: FakeFault[] };
  taskId?: string;
  result?: TaskResult;
  error?: unknown;
  settled: boolean;
}

/** Everything a soak produced, for checking and reporting. */
export interface SoakRun {
  settings: SoakSettings;
  runs: TaskRun[];
  requests: readonly FakeRequestRecord[];
  tasks: FakeTask[];
  stats: FakeStats;
  /** Time the run took (fake time with `tick`). */
  elapsedMs: number;
}

const day = 24 * 60 * 60 * 1000;

/** What a caller chooses of a soak; the rest is scaled from the task durations. */
export type SoakChoice = Pick<SoakSettings, "tasks" | "seed" | "tag" | "durationMs" | "timeoutMs" | "rates" | "deadlineMs" | "tick">;

/**
 * Full settings for tasks that take `durationMs` at the fake: the team quota 3,
 * 3 retries, polls scaled to the durations, and `quotaHoldMs` = the longest task
 * (a task whose fate is unknown keeps its slot until it surely ended).
 */
export function soakSettings(choice: SoakChoice): SoakSettings {
  const [shortest, longest] = choice.durationMs;
  return {
    quota: 3,
    maxRetries: 3,
    pendingMs: Math.round(shortest / 5),
    poll: { initialMs: Math.round(shortest / 2), factor: 1.5, maxMs: Math.round(longest / 2), minMs: Math.round(shortest / 20), webhookMs: 30_000 },
    quotaHoldMs: longest,
    ...choice,
  };
}
const image = "https://example.com/soak-input.png";
const video = "https://example.com/soak-input.mp4";
const audio = "https://example.com/soak-input.wav";

/** The API type the fake gives a soak model of this namespace (expansion models are image-to-image). */
function apiTypeOf(type: SoakType): FakeModelSpec["type"] {
  return type === "expansion" ? "image-to-image" : API_TYPES[type];
}

/**
 * Runs every planned task through the SDK against the fake, injecting the planned faults.
 * Each logical submit has its own model, which the fake lists (and accepts) for this run only.
 */
export async function runSoak(target: SoakTarget, settings: SoakSettings): Promise<SoakRun> {
  const plans = planTasks(settings);
  const byModel = new Map<string, TaskPlan>(plans.map((plan) => [plan.model, plan]));
  const planOf = (task: FakeTaskInfo) => byModel.get(task.model);
  const { fake } = target;
  fake.configure({
    models: plans.map((plan): FakeModelSpec => ({ slug: plan.model, type: apiTypeOf(plan.type) })),
    maxConcurrentTasks: settings.quota,
    rateLimit: 1_000_000,
    pendingMs: settings.pendingMs,
    durationMs: (task) => planOf(task)?.durationMs ?? settings.durationMs[1],
    // An "expire" task is gone the moment it ends (404 "Task expired"), as if its reader came back after the 24 h.
    retentionMs: (task) => (planOf(task)?.ending === "expire" ? 0 : day),
    outcome: (task) => (planOf(task)?.ending === "fail" ? { category: "Content Policy", detail: "planned failure" } : "success"),
  });
  const client = new Modellix({
    apiKey: "soak-key",
    baseURL: target.baseURL,
    fetch: target.fetch,
    maxConcurrentTasks: settings.quota,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    pollInterval: settings.poll,
    quotaHoldMs: settings.quotaHoldMs,
    logLevel: "off",
  });
  const startedAt = Date.now();
  const runs = plans.map((plan): TaskRun => {
    const submit = plan.submitFaults.map((fault) => fault.make(Date.now()));
    for (const fault of submit) fake.inject(fault, { match: { route: "submit", path: new RegExp(`^/api/v1/${escapeRegExp(plan.model)}$`) } });
    return { plan, injected: { submit, poll: [] }, settled: false };
  });
  const done = Promise.all(runs.map((run) => follow(client, fake, run)));
  await settle(done, runs, settings);
  return {
    settings,
    runs,
    requests: fake.requests,
    tasks: fake.tasks,
    stats: fake.stats,
    elapsedMs: Date.now() - startedAt,
  };
}

/** Submits one plan, injects its poll faults once its task id is known, and waits for the result. */
async function follow(client: Modellix, fake: FakeModellix, run: TaskRun): Promise<void> {
  try {
    const task = await submitPlan(client, run.plan);
    run.taskId = task.id;
    run.injected.poll = run.plan.pollFaults.map((fault) => fault.make(Date.now()));
    const path = new RegExp(`^/api/v1/tasks/${escapeRegExp(task.id)}$`);
    for (const fault of run.injected.poll) fake.inject(fault, { match: { method: "GET", path } });
    run.result = await task.wait();
  } catch (error) {
    run.error = error;
  } finally {
    run.settled = true;
  }
}

/** Submits through the plan's namespace, with the fields real models of that namespace take. */
function submitPlan(client: Modellix, plan: TaskPlan): TaskPromise {
  const { model, prompt } = plan;
  switch (plan.type) {
    case "t2i":
      return client.t2i.submit({ model, prompt, size: "2048x2048" });
    case "i2i":
      return client.i2i.submit({ model, prompt, image: [image] });
    case "expansion":
      return client.expansion.submit({ model, image, left_expansion_ratio: 0.25, right_expansion_ratio: 0.25 });
    case "t2v":
      return client.t2v.submit({ model, prompt, duration: 5 });
    case "i2v":
      return client.i2v.submit({ model, prompt, first_frame_image: image });
    case "v2v":
      return client.v2v.submit({ model, prompt, video_urls: [video] });
    case "tts":
      return client.tts.submit({ model, text: prompt, voice: "Cherry" });
    case "stt":
      return client.stt.submit({ model, url: audio });
    case "sts":
      return client.sts.submit({ model, url: audio, text: prompt });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Waits until every task settled or the deadline passed, driving fake timers when given. */
async function settle(done: Promise<unknown>, runs: readonly TaskRun[], settings: SoakSettings): Promise<void> {
  const { tick, deadlineMs } = settings;
  if (tick) {
    const stepMs = 100;
    for (let elapsed = 0; elapsed < deadlineMs && runs.some((run) => !run.settled); elapsed += stepMs) await tick(stepMs);
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
  });
  await Promise.race([done, deadline]);
  clearTimeout(timer);
}
