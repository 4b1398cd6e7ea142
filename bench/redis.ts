/**
 * 3b. The team quota across processes: worker processes, each with its own
 * client, share a quota of 3 through RedisQuota (`modellix/redis`) against one
 * fake server (another process) whose team quota is 3. Real time, short tasks.
 * Needs `redis-server` on the PATH; skipped with a message otherwise.
 */
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { startRedis } from "../scripts/lib/redis-server.js";
import { quotaKeys } from "../src/redis/keys.js";
import { nextMessage, root, startFakeServerProcess } from "./lib/child.js";
import type { WorkerStart } from "./lib/redis-worker.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { sdk } from "./lib/sdk.js";
import { ratio } from "./lib/stats.js";

const WORKERS = 4;
const TASKS_PER_WORKER = 12;
const SLOTS = 3;
const TASK_MS = 400;
const POLL_MS = 50;


interface Stats {
  maxConcurrentObserved: number;
  tooManyRequests: { concurrency: number; rateLimit: number; injected: number };
  posts: number;
  gets: number;
}

interface Outcome {
  makespanMs: number;
  failures: string[];
  stats: Stats;
}

/** The reference: the same tasks from one process, its local quota of 3 (no Redis). */
async function oneProcess(server: Awaited<ReturnType<typeof startFakeServerProcess>>): Promise<Outcome> {
  await server.ask("reset");
  const client = new sdk.Modellix({
    apiKey: "bench-key",
    baseURL: server.url,
    maxConcurrentTasks: SLOTS,
    pollInterval: { initialMs: POLL_MS, factor: 1, maxMs: POLL_MS },
    logLevel: "warn",
  });
  const failures: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS * TASKS_PER_WORKER }, async (_, index) => {
      try {
        await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: `task ${index}` }).wait();
      } catch (error) {
        failures.push(String(error));
      }
    }),
  );
  const makespanMs = performance.now() - started;
  return { makespanMs, failures, stats: (await server.ask("stats")) as Stats };
}

/** Runs the workers once, then the one-process reference; resolves with each makespan and the fake's counters. */
async function run(redisPort: number): Promise<{ redis: Outcome; local: Outcome }> {
  const server = await startFakeServerProcess({ pendingMs: 100, durationMs: TASK_MS, maxConcurrentTasks: SLOTS, rateLimit: 1e6 });
  const children: ChildProcess[] = [];
  try {
    const key = `modellix:bench:${process.pid}`;
    // An established team: a quota key Redis has never seen waits out a grace period first (as after a FLUSHALL), which a benchmark of steady throughput leaves out.
    const admin = new Redis({ port: redisPort, host: "127.0.0.1" });
    await admin.set(quotaKeys(key).epoch, "0");
    await admin.quit();
    for (let worker = 0; worker < WORKERS; worker++) {
      const child = fork(fileURLToPath(new URL("./lib/redis-worker.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(child);
      const start: WorkerStart = { redisPort, key, baseURL: server.url, slots: SLOTS, pollMs: POLL_MS, tasks: TASKS_PER_WORKER, worker };
      child.send(start);
    }
    await Promise.all(children.map((child) => nextMessage(child)));
    const started = performance.now();
    const done = children.map((child) => nextMessage(child) as Promise<{ failures: string[] }>);
    for (const child of children) child.send("go");
    const failures = (await Promise.all(done)).flatMap((answer) => answer.failures);
    const makespanMs = performance.now() - started;
    const stats = (await server.ask("stats")) as Stats;
    const local = await oneProcess(server);
    return { redis: { makespanMs, failures, stats }, local };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await server.close();
  }
}

/** Runs the workers (or skips) and saves `results/redis.json`. */
export async function measureRedis(): Promise<BenchResult> {
  const installed = spawnSync("redis-server", ["--version"]).status === 0;
  const title = "3b. Team quota across processes (Redis)";
  if (!installed) {
    console.log("bench/redis.ts: redis-server is not installed; skipped (apt-get install redis-server to run it).");
    return saveResult({
      name: "redis",
      title,
      setup: "Skipped: `redis-server` is not on the PATH.",
      rows: [{ id: 3, measurement: "makespan across processes (Redis quota)", modellix: "skipped", baseline: "redis-server not installed", ratio: "", target: "" }],
      detail: [],
      data: { skipped: true },
    });
  }
  const redis = await startRedis();
  try {
    const { redis: outcome, local } = await run(redis.port);
    const tasks = WORKERS * TASKS_PER_WORKER;
    const idealMs = Math.ceil(tasks / SLOTS) * TASK_MS;
    const tooMany = outcome.stats.tooManyRequests.concurrency + outcome.stats.tooManyRequests.rateLimit;
    return saveResult({
      name: "redis",
      title,
      setup:
        `${WORKERS} worker processes, each with its own client and ${TASKS_PER_WORKER} tasks submitted at once (${tasks} in all), share a quota of ${SLOTS} through \`RedisQuota\` ` +
        `(a throwaway redis-server on 127.0.0.1) against the SDK's fake server in another process (team quota ${SLOTS}; each task pending 100 ms, done ${TASK_MS} ms after its submit). ` +
        `Workers poll every ${POLL_MS} ms. Real time, so the makespan varies a little between runs; the ideal is ceil(${tasks}/${SLOTS}) × ${TASK_MS} ms (a slot refilled the instant its task ends).`,
      rows: [
        {
          id: 3,
          measurement: `makespan, ${tasks} tasks from ${WORKERS} processes (Redis quota ${SLOTS})`,
          modellix: `${(outcome.makespanMs / 1000).toFixed(2)} s`,
          baseline: `ideal ${(idealMs / 1000).toFixed(2)} s; one process, local quota ${(local.makespanMs / 1000).toFixed(2)} s`,
          ratio: ratio(outcome.makespanMs / idealMs),
          target: "0 × 429, ≤ 3 at once",
        },
        {
          id: 3,
          measurement: "429s / most tasks at once at the server (Redis quota)",
          modellix: `${tooMany} / ${outcome.stats.maxConcurrentObserved}`,
          baseline: `quota ${SLOTS}`,
          ratio: "",
          target: `0 / ≤ ${SLOTS}`,
        },
      ],
      detail: table(
        ["run", "tasks", "makespan", "ideal", "÷ ideal", "429s", "most at once", "submits", "polls / task", "failures"],
        [
          [`${WORKERS} processes, Redis quota`, outcome],
          ["1 process, local quota (reference)", local],
        ].map(([label, run]) => {
          const result = run as Outcome;
          return [
            label as string,
            tasks,
            `${(result.makespanMs / 1000).toFixed(2)} s`,
            `${(idealMs / 1000).toFixed(2)} s`,
            ratio(result.makespanMs / idealMs),
            result.stats.tooManyRequests.concurrency + result.stats.tooManyRequests.rateLimit,
            result.stats.maxConcurrentObserved,
            result.stats.posts,
            (result.stats.gets / tasks).toFixed(1),
            result.failures.length ? result.failures.slice(0, 3).join("; ") : "none",
          ];
        }),
      ),
      data: { workers: WORKERS, tasks, slots: SLOTS, taskMs: TASK_MS, pollMs: POLL_MS, idealMs, redis: outcome, local },
    });
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await measureRedis();
