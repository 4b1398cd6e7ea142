/**
 * 3. Quota throughput: 1,000 tasks of a fixed simulated duration through a
 * client with the team quota of 3, against the in-process fake on a virtual
 * clock (hours of polling run in seconds, every wait exact).
 */
import type { PollSchedule } from "../src/poller.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { defaultSchedule, fixedTwoSeconds, pollsFor } from "./lib/schedule.js";
import { sdk, testing, warmUp } from "./lib/sdk.js";
import { ratio, round } from "./lib/stats.js";
import { installVirtualTime } from "./lib/virtual-time.js";

const TASKS = 300;
const QUOTA = 3;
const image = { label: "image-like", type: "t2i", model: "bytedance/seedream-4.5-t2i", durationMs: 45_000 } as const;
const video = { label: "video-like", type: "t2v", model: "bytedance/seedance-2.0-mini-t2v", durationMs: 120_000 } as const;
const SCENARIOS = [
  { ...image, schedule: defaultSchedule, scheduleLabel: "default" },
  { ...video, schedule: defaultSchedule, scheduleLabel: "default" },
  { ...image, schedule: fixedTwoSeconds, scheduleLabel: "fixed 2 s" },
] as const;

interface Outcome {
  label: string;
  schedule: string;
  durationMs: number;
  makespanMs: number;
  idealMs: number;
  scheduleBoundMs: number;
  tooManyRequests: number;
  pollsPerTask: number;
  minPollsPerTask: number;
  submits: number;
  maxConcurrent: number;
  realMs: number;
}

async function simulate(scenario: (typeof SCENARIOS)[number]): Promise<Outcome> {
  const schedule: PollSchedule = scenario.schedule;
  await warmUp();
  const time = installVirtualTime(Date.UTC(2026, 0, 1));
  try {
    const fake = new testing.FakeModellix({ clock: time.clock, durationMs: scenario.durationMs, maxConcurrentTasks: QUOTA });
    const client = new sdk.Modellix({
      apiKey: "bench-key",
      baseURL: "https://api.modellix.test",
      fetch: fake.fetch,
      logLevel: "off",
      maxConcurrentTasks: QUOTA,
      pollInterval: schedule,
    });
    const started = time.now();
    const real = performance.now();
    await time.run(
      Promise.all(
        Array.from({ length: TASKS }, (_, index) =>
          client.run(scenario.type, scenario.model, { prompt: `frame ${index}` }).wait({ timeout: 24 * 3_600_000 }),
        ),
      ),
    );
    const makespanMs = time.now() - started;
    const realMs = performance.now() - real;
    const { polls, seenAtMs } = pollsFor(schedule, scenario.durationMs);
    const rounds = Math.ceil(TASKS / QUOTA);
    const stats = fake.stats;
    return {
      label: scenario.label,
      schedule: scenario.scheduleLabel,
      durationMs: scenario.durationMs,
      makespanMs,
      idealMs: rounds * scenario.durationMs,
      scheduleBoundMs: rounds * seenAtMs,
      tooManyRequests: stats.tooManyRequests.concurrency + stats.tooManyRequests.rateLimit,
      pollsPerTask: fake.countRequests({ method: "GET" }) / TASKS,
      minPollsPerTask: polls,
      submits: fake.countRequests({ method: "POST" }),
      maxConcurrent: stats.maxConcurrentObserved,
      realMs,
    };
  } finally {
    time.restore();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString("en", { maximumFractionDigits: 1 })} s`;

/** Runs both scenarios and saves `results/quota.json`. */
export async function measureQuota(): Promise<BenchResult> {
  const outcomes: Outcome[] = [];
  for (const scenario of SCENARIOS) outcomes.push(await simulate(scenario));
  return saveResult({
    name: "quota",
    title: `3. Quota throughput (${TASKS.toLocaleString("en")} tasks, quota ${QUOTA})`,
    setup:
      `${TASKS.toLocaleString("en")} tasks submitted at once through one client (\`maxConcurrentTasks: ${QUOTA}\`) to the in-process \`FakeModellix\` ` +
      `(team quota ${QUOTA}, default rate limit of 600 requests a minute), each task taking a fixed time on the fake's clock; ` +
      "all timers and the fake's clock run on virtual time, so the run is exact and takes seconds. " +
      `The ideal is ceil(N/${QUOTA}) × task time (a slot refilled the instant its task ends); ` +
      "the schedule bound is ceil(N/3) × the time of the first poll at or after the end under the poll schedule in use " +
      "(default: 2 s, then ×1.5 up to 5 s): no client polling on that schedule can learn sooner that a slot is free. " +
      "The last row shows what polling every 2 s (`pollInterval: { factor: 1, maxMs: 2000 }`) buys, at the cost of more polls.",
    rows: outcomes.filter((outcome) => outcome.schedule === "default").flatMap((outcome) => [
      {
        id: 3,
        measurement: `makespan, ${outcome.label} (${seconds(outcome.durationMs)} tasks)`,
        modellix: seconds(outcome.makespanMs),
        baseline: `ideal ${seconds(outcome.idealMs)}; schedule bound ${seconds(outcome.scheduleBoundMs)}`,
        ratio: `${ratio(outcome.makespanMs / outcome.idealMs)} ideal; ${ratio(outcome.makespanMs / outcome.scheduleBoundMs)} bound`,
        target: "≤ 1.03× ideal",
      },
      {
        id: 3,
        measurement: `429s sent / polls per task, ${outcome.label}`,
        modellix: `${outcome.tooManyRequests} / ${round(outcome.pollsPerTask)}`,
        baseline: `0 / schedule minimum ${outcome.minPollsPerTask}`,
        ratio: ratio(outcome.pollsPerTask / outcome.minPollsPerTask),
        target: "0 × 429",
      },
    ]),
    detail: table(
      ["tasks", "schedule", "makespan", "ideal", "÷ ideal", "schedule bound", "÷ bound", "429s", "polls / task", "minimum", "submits", "max concurrent", "real time"],
      outcomes.map((o) => [
        `${TASKS} × ${seconds(o.durationMs)} (${o.label})`,
        o.schedule,
        seconds(o.makespanMs),
        seconds(o.idealMs),
        ratio(o.makespanMs / o.idealMs),
        seconds(o.scheduleBoundMs),
        ratio(o.makespanMs / o.scheduleBoundMs),
        o.tooManyRequests,
        round(o.pollsPerTask),
        o.minPollsPerTask,
        o.submits,
        o.maxConcurrent,
        `${(o.realMs / 1000).toFixed(1)} s`,
      ]),
    ),
    data: { tasks: TASKS, quota: QUOTA, outcomes },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measureQuota();
