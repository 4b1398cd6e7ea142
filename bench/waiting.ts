/**
 * 5. Waiting, side by side: the SDK's `task.wait()` against replicate's and fal's
 * own wait loops and a fixed 2 s poll, each over a server that speaks its API
 * (lib/waiters.ts), with the same task durations and the same network, on
 * virtual time: how long a batch takes through a quota of 3, and how late each
 * learns that a task has ended, at how many polls.
 */
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { warmUp } from "./lib/sdk.js";
import { mean, percentile, ratio, round, seededRandom } from "./lib/stats.js";
import { installVirtualTime } from "./lib/virtual-time.js";
import { WAITERS, WAITER_NOTES, type WaiterName, indexOf, makeWaiter } from "./lib/waiters.js";

/** Every request's round trip on the virtual clock. */
const ROUND_TRIP_MS = 40;
/** Quota of the runs without one: out of reach. */
const UNLIMITED = 1e9;

interface Scenario {
  key: "quota" | "short" | "long";
  label: string;
  tasks: number;
  quota: number;
  minMs: number;
  maxMs: number;
  /** Time between two submits; 0 submits every task at once. */
  gapMs: number;
}

const SCENARIOS: readonly Scenario[] = [
  { key: "quota", label: "300 × 1 s, quota 3", tasks: 300, quota: 3, minMs: 1000, maxMs: 1000, gapMs: 0 },
  { key: "short", label: "100 × 6–10 s, one model", tasks: 100, quota: UNLIMITED, minMs: 6000, maxMs: 10_000, gapMs: 1000 },
  { key: "long", label: "200 × 10–60 s, one model", tasks: 200, quota: UNLIMITED, minMs: 10_000, maxMs: 60_000, gapMs: 2000 },
];

interface Figures {
  makespanMs: number;
  meanLagMs: number;
  p50LagMs: number;
  p95LagMs: number;
  maxLagMs: number;
  pollsPerTask: number;
  tooManyRequests: number;
  /** Wall-clock time the simulation took. */
  realMs: number;
}

/** Task run times spread evenly (and repeatably) over the scenario's range. */
function durations(scenario: Scenario): number[] {
  const random = seededRandom(42);
  return Array.from({ length: scenario.tasks }, () => Math.round(scenario.minMs + random() * (scenario.maxMs - scenario.minMs)));
}

async function simulate(scenario: Scenario, name: WaiterName): Promise<Figures> {
  const lengths = durations(scenario);
  await warmUp();
  const time = installVirtualTime(Date.UTC(2026, 0, 1));
  try {
    const waiter = makeWaiter(name, {
      clock: time.clock,
      durationOf: (input) => lengths[indexOf(input)] ?? scenario.minMs,
      quota: scenario.quota,
      roundTripMs: ROUND_TRIP_MS,
    });
    const seenAt: number[] = [];
    const started = time.now();
    const real = time.realNow();
    await time.run(
      Promise.all(
        lengths.map(async (_, index) => {
          if (scenario.gapMs > 0) await new Promise((resolve) => setTimeout(resolve, index * scenario.gapMs));
          await waiter.run(index);
          seenAt[index] = time.now();
        }),
      ),
    );
    const realMs = time.realNow() - real;
    const served = waiter.served();
    if (served.length !== scenario.tasks) throw new Error(`${name}: ${served.length} tasks created for ${scenario.tasks} submitted`);
    const lags = served.map((task) => (seenAt[task.index] ?? Number.NaN) - task.endedAt);
    return {
      makespanMs: time.now() - started,
      meanLagMs: mean(lags),
      p50LagMs: percentile(lags, 50),
      p95LagMs: percentile(lags, 95),
      maxLagMs: Math.max(...lags),
      pollsPerTask: mean(served.map((task) => task.polls)),
      tooManyRequests: waiter.tooManyRequests(),
      realMs,
    };
  } finally {
    time.restore();
  }
}

const seconds = (ms: number, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
const range = (scenario: Scenario) => (scenario.minMs === scenario.maxMs ? seconds(scenario.minMs, 0) : `${scenario.minMs / 1000}–${scenario.maxMs / 1000} s`);

/** Runs every scenario for every contender and saves `results/waiting.json`. */
export async function measureWaiting(): Promise<BenchResult> {
  const results = {} as Record<Scenario["key"], Record<WaiterName, Figures>>;
  for (const scenario of SCENARIOS) {
    const byWaiter = {} as Record<WaiterName, Figures>;
    for (const name of WAITERS) byWaiter[name] = await simulate(scenario, name);
    results[scenario.key] = byWaiter;
  }
  const [quota, short, long] = SCENARIOS as [Scenario, Scenario, Scenario];
  const idealMs = Math.ceil(quota.tasks / quota.quota) * quota.minMs;
  const peers = WAITERS.filter((name) => name !== "modellix");
  const lagAndPolls = (f: Figures) => `${seconds(f.meanLagMs)}, ${round(f.pollsPerTask, 1)} polls`;
  const lagsAndPolls = (f: Figures) => `${seconds(f.meanLagMs)} / ${seconds(f.p95LagMs)}, ${round(f.pollsPerTask, 1)} polls`;
  const pollsToFixed = (key: Scenario["key"]) => `${ratio(results[key].modellix.pollsPerTask / results[key]["fixed 2 s"].pollsPerTask)} the polls of fixed 2 s`;
  return saveResult({
    name: "waiting",
    title: "5. Waiting, side by side with replicate, fal and a fixed 2 s poll",
    setup:
      "**Virtual time** (bench/lib/virtual-time.ts): every timer of the process and every server clock run on one simulated clock, so each run is exact, " +
      `repeats to the millisecond and takes seconds; every request takes a fixed ${ROUND_TRIP_MS} ms round trip on that clock (half each way). ` +
      "Each contender talks to an in-process server of its own that speaks its API, answering at 127.0.0.1 (no socket is opened): " +
      "modellix and the fixed 2 s poll the SDK's `FakeModellix` (a finished task reports `extensions.submit_time` / `end_time`, here as ISO strings, as the API's docs show them), " +
      "replicate a simulated predictions API (bench/lib/replicate-api.ts), fal a simulated queue API reached through the client's proxy mode (bench/lib/fal-api.ts). " +
      "The peers run their installed packages' own wait loops; replicate's `run()` defaults to its synchronous mode (`Prefer: wait`), which Modellix does not have, so its polling `wait()` is used. " +
      `All contenders see the same task run times (seeded, spread evenly over the range) and the same quota: the SDK its own \`maxConcurrentTasks\`, the others a p-queue of that concurrency around submit + wait. ` +
      `**Makespan**: from the first submit to the last result, against the ideal ceil(N / quota) × run time (${seconds(idealMs, 0)} for ${quota.label}); ` +
      `the network alone sets a floor of ceil(N / quota) × (run time + one round trip), ${ratio((quota.minMs + ROUND_TRIP_MS) / quota.minMs)} the ideal. ` +
      "**Lag**: from the task's end on its server's clock to the caller holding its result (for fal after its result request, as `subscribe()` returns). " +
      "**Polls**: status reads per task (submits and fal's result request not counted). " +
      `The one-model runs submit a task every ${short.gapMs / 1000} s (6–10 s) or ${long.gapMs / 1000} s (10–60 s), so a client can learn run times from the tasks it has seen end, with no quota. ` +
      "CPU per submit + 3 polls and memory per waiting Task, in real time: sections 1 and 4.",
    rows: [
      {
        id: 5,
        measurement: `makespan, ${quota.label} (ideal ${seconds(idealMs, 0)}; virtual time)`,
        modellix: `${seconds(results.quota.modellix.makespanMs, 1)} (${ratio(results.quota.modellix.makespanMs / idealMs)})`,
        baseline: peers.map((name) => `${name} ${ratio(results.quota[name].makespanMs / idealMs)}`).join(", "),
        ratio: `${ratio(results.quota.modellix.makespanMs / idealMs)} ideal`,
        target: "≤ 1.15× ideal",
      },
      {
        id: 5,
        measurement: `${range(short)} tasks of one model: mean lag, polls per task (virtual time)`,
        modellix: lagAndPolls(results.short.modellix),
        baseline: peers.map((name) => `${name} ${lagAndPolls(results.short[name])}`).join("; "),
        ratio: pollsToFixed("short"),
        target: "lag ≤ 0.6 s, polls ≤ fixed 2 s",
      },
      {
        id: 5,
        measurement: `${range(long)} tasks: mean / p95 lag, polls per task (virtual time)`,
        modellix: lagsAndPolls(results.long.modellix),
        baseline: peers.map((name) => `${name} ${lagsAndPolls(results.long[name])}`).join("; "),
        ratio: pollsToFixed("long"),
        target: "",
      },
    ],
    detail: [
      ...table(
        ["tasks", "waiter", "makespan", "÷ ideal", "mean lag", "p50 lag", "p95 lag", "max lag", "polls / task", "429s", "real time"],
        SCENARIOS.flatMap((scenario) =>
          WAITERS.map((name) => {
            const f = results[scenario.key][name];
            return [
              scenario.label,
              name,
              seconds(f.makespanMs, 1),
              scenario.key === "quota" ? ratio(f.makespanMs / idealMs) : "",
              seconds(f.meanLagMs),
              seconds(f.p50LagMs),
              seconds(f.p95LagMs),
              seconds(f.maxLagMs),
              round(f.pollsPerTask, 2),
              f.tooManyRequests,
              seconds(f.realMs, 1),
            ];
          }),
        ),
      ),
      "",
      ...table(
        ["waiter", "what runs"],
        WAITERS.map((name) => [name, WAITER_NOTES[name]]),
      ),
    ],
    data: { roundTripMs: ROUND_TRIP_MS, idealMs, scenarios: SCENARIOS, results },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measureWaiting();
