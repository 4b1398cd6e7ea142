/**
 * 5. Poll efficiency: polls per task and how late the end of a task is noticed,
 * for image-like and video-like durations, under the default schedule and a
 * fixed 2 s one. In-process fake on virtual time, as in quota.ts.
 */
import type { PollSchedule } from "../src/poller.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { defaultSchedule, fixedTwoSeconds, pollsFor } from "./lib/schedule.js";
import { sdk, testing, warmUp } from "./lib/sdk.js";
import { mean, ratio, round, seededRandom } from "./lib/stats.js";
import { installVirtualTime } from "./lib/virtual-time.js";

const TASKS = 200;
const CLASSES = [
  { label: "image-like", type: "t2i", model: "bytedance/seedream-4.5-t2i", minMs: 30_000, maxMs: 60_000 },
  { label: "video-like", type: "t2v", model: "bytedance/seedance-2.0-mini-t2v", minMs: 60_000, maxMs: 180_000 },
] as const;
type TaskClass = (typeof CLASSES)[number];

interface Run {
  pollsPerTask: number;
  /** Mean time from a task's end to the client seeing it, ms. */
  meanLagMs: number;
  /** The same, computed from the schedule alone, as a cross-check. */
  expectedPollsPerTask: number;
}

/** Task durations spread evenly (and repeatably) over the class's range. */
function durations(taskClass: TaskClass): number[] {
  const random = seededRandom(42);
  return Array.from({ length: TASKS }, () => Math.round(taskClass.minMs + random() * (taskClass.maxMs - taskClass.minMs)));
}

async function simulate(taskClass: TaskClass, schedule: PollSchedule): Promise<Run> {
  const lengths = durations(taskClass);
  await warmUp();
  const time = installVirtualTime(Date.UTC(2026, 0, 1));
  try {
    const fake = new testing.FakeModellix({
      clock: time.clock,
      pendingMs: 0,
      durationMs: (task) => lengths[Number(String(task.input.prompt).split(" ")[1])] ?? taskClass.minMs,
      maxConcurrentTasks: 1e9,
      rateLimit: 1e9,
    });
    const client = new sdk.Modellix({
      apiKey: "bench-key",
      baseURL: "https://api.modellix.test",
      fetch: fake.fetch,
      logLevel: "off",
      maxConcurrentTasks: 1e9,
      pollInterval: schedule,
    });
    const seenAt = new Map<string, number>();
    await time.run(
      Promise.all(
        lengths.map(async (_, index) => {
          const result = await client.run(taskClass.type, taskClass.model, { prompt: `task ${index}` }).wait({ timeout: 3_600_000 });
          seenAt.set(result.id, time.now());
        }),
      ),
    );
    const lags = fake.tasks.map((task) => (seenAt.get(task.id) ?? Number.NaN) - task.finishedAt);
    return {
      pollsPerTask: fake.countRequests({ method: "GET" }) / TASKS,
      meanLagMs: mean(lags),
      expectedPollsPerTask: mean(lengths.map((length) => pollsFor(schedule, length).polls)),
    };
  } finally {
    time.restore();
  }
}

const range = (taskClass: TaskClass) => `${taskClass.minMs / 1000}–${taskClass.maxMs / 1000} s`;

/** Runs both classes under both schedules and saves `results/polling.json`. */
export async function measurePolling(): Promise<BenchResult> {
  const results = [];
  for (const taskClass of CLASSES) {
    results.push({ taskClass, standard: await simulate(taskClass, defaultSchedule), fixed: await simulate(taskClass, fixedTwoSeconds) });
  }
  return saveResult({
    name: "polling",
    title: "5. Poll efficiency",
    setup:
      `${TASKS} tasks per class with durations spread evenly (seeded) over the class's range, submitted at once to the in-process fake ` +
      "(quota and rate limit out of reach) on virtual time; every task is followed with `wait()`. " +
      "Polls per task are the fake's GET count divided by the tasks; the lag is the mean time from a task's end on the fake's clock to `wait()` resolving. " +
      "Default schedule: first poll after 2 s, then every 3 s, 4.5 s, then 5 s; the baseline polls every 2 s.",
    rows: results.map(({ taskClass, standard, fixed }) => ({
      id: 5,
      measurement: `polls per ${taskClass.label} task (${range(taskClass)})`,
      modellix: `${round(standard.pollsPerTask, 1)} (lag ${round(standard.meanLagMs / 1000, 1)} s)`,
      baseline: `fixed 2 s: ${round(fixed.pollsPerTask, 1)} (lag ${round(fixed.meanLagMs / 1000, 1)} s)`,
      ratio: ratio(standard.pollsPerTask / fixed.pollsPerTask),
      target: "",
    })),
    detail: table(
      ["tasks", "schedule", "polls / task", "from the schedule alone", "mean lag"],
      results.flatMap(({ taskClass, standard, fixed }) => [
        [`${taskClass.label} (${range(taskClass)})`, "default (2 s ×1.5 → 5 s)", round(standard.pollsPerTask, 2), round(standard.expectedPollsPerTask, 2), `${round(standard.meanLagMs / 1000, 2)} s`],
        [`${taskClass.label} (${range(taskClass)})`, "fixed 2 s", round(fixed.pollsPerTask, 2), round(fixed.expectedPollsPerTask, 2), `${round(fixed.meanLagMs / 1000, 2)} s`],
      ]),
    ),
    data: { tasks: TASKS, results: results.map(({ taskClass, standard, fixed }) => ({ ...taskClass, standard, fixed })) },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measurePolling();
