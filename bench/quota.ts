/**
 * 3. Quota throughput: 300 tasks of a fixed simulated duration through a
 * client with the team quota of 3 and its default poll schedule, against the
 * in-process fake on a virtual clock (hours of polling run in seconds, every
 * wait exact). bench/waiting.ts sets the same beside the peers' wait loops.
 */
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { sdk, testing, warmUp } from "./lib/sdk.js";
import { ratio, round } from "./lib/stats.js";
import { installVirtualTime } from "./lib/virtual-time.js";

const TASKS = 300;
const QUOTA = 3;
const image = { label: "image-like", type: "t2i", model: "bytedance/seedream-4.5-t2i", durationMs: 45_000 } as const;
const video = { label: "video-like", type: "t2v", model: "bytedance/seedance-2.0-mini-t2v", durationMs: 120_000 } as const;
const SCENARIOS = [image, video] as const;

interface Outcome {
  label: string;
  durationMs: number;
  makespanMs: number;
  idealMs: number;
  tooManyRequests: number;
  pollsPerTask: number;
  submits: number;
  maxConcurrent: number;
  realMs: number;
}

async function simulate(scenario: (typeof SCENARIOS)[number]): Promise<Outcome> {
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
    });
    const started = time.now();
    const real = time.realNow();
    await time.run(
      Promise.all(
        Array.from({ length: TASKS }, (_, index) =>
          client.run(scenario.type, scenario.model, { prompt: `frame ${index}` }).wait({ timeout: 24 * 3_600_000 }),
        ),
      ),
    );
    const makespanMs = time.now() - started;
    const realMs = time.realNow() - real;
    const stats = fake.stats;
    return {
      label: scenario.label,
      durationMs: scenario.durationMs,
      makespanMs,
      idealMs: Math.ceil(TASKS / QUOTA) * scenario.durationMs,
      tooManyRequests: stats.tooManyRequests.concurrency + stats.tooManyRequests.rateLimit,
      pollsPerTask: fake.countRequests({ method: "GET" }) / TASKS,
      submits: fake.countRequests({ method: "POST" }),
      maxConcurrent: stats.maxConcurrentObserved,
      realMs,
    };
  } finally {
    time.restore();
  }
}

/** Polls a fixed 2 s schedule makes for a task of `durationMs`: up to the first at or after its end. */
const fixedPolls = (durationMs: number) => Math.ceil(durationMs / 2000);
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
      `The ideal is ceil(N/${QUOTA}) × task time (a slot refilled the instant its task ends). The client runs its default poll schedule; ` +
      "polls per task are set beside the polls a fixed 2 s poll makes for the same task (one every 2 s until the first at or after its end).",
    rows: outcomes.flatMap((outcome) => [
      {
        id: 3,
        measurement: `makespan, ${outcome.label} (${seconds(outcome.durationMs)} tasks)`,
        modellix: seconds(outcome.makespanMs),
        baseline: `ideal ${seconds(outcome.idealMs)}`,
        ratio: `${ratio(outcome.makespanMs / outcome.idealMs)} ideal`,
        target: "≤ 1.03× ideal",
      },
      {
        id: 3,
        measurement: `429s sent / polls per task, ${outcome.label}`,
        modellix: `${outcome.tooManyRequests} / ${round(outcome.pollsPerTask)}`,
        baseline: `0 / fixed 2 s ${fixedPolls(outcome.durationMs)}`,
        ratio: ratio(outcome.pollsPerTask / fixedPolls(outcome.durationMs)),
        target: "0 × 429",
      },
    ]),
    detail: table(
      ["tasks", "makespan", "ideal", "÷ ideal", "429s", "polls / task", "fixed 2 s", "submits", "max concurrent", "real time"],
      outcomes.map((o) => [
        `${TASKS} × ${seconds(o.durationMs)} (${o.label})`,
        seconds(o.makespanMs),
        seconds(o.idealMs),
        ratio(o.makespanMs / o.idealMs),
        o.tooManyRequests,
        round(o.pollsPerTask),
        fixedPolls(o.durationMs),
        o.submits,
        o.maxConcurrent,
        `${(o.realMs / 1000).toFixed(1)} s`,
      ]),
    ),
    data: { tasks: TASKS, quota: QUOTA, outcomes },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measureQuota();
