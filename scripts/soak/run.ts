import Modellix, { type PollSchedule, type TaskPromise, type TaskResult } from "modellix";
import type { FakeFault, FakeModellix, FakeRequestRecord, FakeStats, FakeTask, FakeTaskInfo } from "modellix/testing";
import { type PlanOptions, type TaskPlan, planTasks } from "./plan.js";

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
    poll: { initialMs: Math.round(shortest / 2), factor: 1.5, maxMs: Math.round(longest / 2) },
    quotaHoldMs: longest,
    ...choice,
  };
}
const image = "https://example.com/soak-input.png";

/** Runs every planned task through the SDK against the fake, injecting the planned faults. */
export async function runSoak(target: SoakTarget, settings: SoakSettings): Promise<SoakRun> {
  const plans = planTasks(settings);
  const byPrompt = new Map(plans.map((plan) => [plan.prompt, plan]));
  const planOf = (task: FakeTaskInfo) => byPrompt.get(String(task.input.prompt));
  const { fake } = target;
  fake.configure({
    maxConcurrentTasks: settings.quota,
    rateLimit: 1_000_000,
    pendingMs: settings.pendingMs,
    durationMs: (task) => planOf(task)?.durationMs ?? settings.durationMs[1],
    retentionMs: (task) => (planOf(task)?.ending === "expire" ? (planOf(task)?.durationMs ?? day) : day),
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
    for (const fault of submit) fake.inject(fault, { match: { method: "POST", path: `/${plan.model}/async` } });
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
    const path = new RegExp(`/tasks/${task.id.replace(/[^\w-]/g, "\\$&")}$`);
    for (const fault of run.injected.poll) fake.inject(fault, { match: { method: "GET", path } });
    run.result = await task.wait();
  } catch (error) {
    run.error = error;
  } finally {
    run.settled = true;
  }
}

function submitPlan(client: Modellix, plan: TaskPlan): TaskPromise {
  const input = { model: plan.model, prompt: plan.prompt };
  switch (plan.type) {
    case "t2i":
      return client.t2i.submit(input);
    case "t2v":
      return client.t2v.submit(input);
    case "i2v":
      return client.i2v.submit({ ...input, image });
    case "i2i":
      return client.i2i.submit({ ...input, image });
    case "expansion":
      return client.expansion.submit({ ...input, image });
  }
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
