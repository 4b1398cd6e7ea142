/**
 * 1. Per-call overhead: 2,000 submit + one-poll cycles against a fake server on
 * 127.0.0.1 (in another process, so this process's CPU time is the client's),
 * through the SDK and with raw fetch, alternating, several rounds.
 */
import { startFakeServerProcess } from "./lib/child.js";
import { type Cost, interleave } from "./lib/measure.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { sdk } from "./lib/sdk.js";
import { median, micros, ratio, round } from "./lib/stats.js";

const CYCLES = 2000;
const ROUNDS = 5;
const WARMUP = 300;
const CHUNK = 50;
const MODEL = "bytedance/seedream-4-5-t2i";
const INPUT = { model: MODEL, prompt: "a lighthouse at dawn", size: "1024*1024" } as const;
const KEY = "bench-key";

type Cycle = () => Promise<void>;

/** The floor: the same two HTTP exchanges with raw fetch, JSON parsed, nothing else. */
function rawCycle(baseURL: string): Cycle {
  const { model, ...body } = INPUT;
  const submitURL = `${baseURL}/t2i/${model}/async`;
  const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  return async () => {
    const submitted = (await (await fetch(submitURL, { method: "POST", headers, body: JSON.stringify(body) })).json()) as {
      data: { task_id: string };
    };
    const read = (await (await fetch(`${baseURL}/tasks/${encodeURIComponent(submitted.data.task_id)}`, { headers })).json()) as {
      data: { status: string };
    };
    if (read.data.status !== "success") throw new Error(`unexpected status ${read.data.status}`);
  };
}

/** The SDK: validated submit (quota slot, retry policy, fetch with a timeout) and one `task.status()`. */
function sdkCycle(baseURL: string): Cycle {
  const client = new sdk.Modellix({
    apiKey: KEY,
    baseURL,
    logLevel: "off",
    maxConcurrentTasks: 1_000_000,
    pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 },
  });
  return async () => {
    const task = await client.t2i.submit(INPUT);
    const snapshot = await task.status();
    if (snapshot.status !== "success") throw new Error(`unexpected status ${snapshot.status}`);
  };
}

/** Measures both ways and saves `results/overhead.json`. */
export async function measureOverhead(): Promise<BenchResult> {
  const server = await startFakeServerProcess({ durationMs: 0, pendingMs: 0, rateLimit: 1e9, maxConcurrentTasks: 1e9 });
  try {
    const sides = { raw: rawCycle(server.url), sdk: sdkCycle(server.url) };
    await interleave(sides, WARMUP, CHUNK);
    const rounds: Array<Record<"raw" | "sdk", Cost>> = [];
    for (let index = 0; index < ROUNDS; index++) {
      await server.reset();
      globalThis.gc?.();
      rounds.push(await interleave(sides, CYCLES, CHUNK));
    }
    const pick = (side: "raw" | "sdk", key: keyof Cost) => median(rounds.map((r) => r[side][key]));
    const cpuRatio = median(rounds.map((r) => r.sdk.cpuUs / r.raw.cpuUs));
    const wallRatio = median(rounds.map((r) => r.sdk.wallUs / r.raw.wallUs));
    const figures = {
      raw: { cpuUs: round(pick("raw", "cpuUs")), wallUs: round(pick("raw", "wallUs")) },
      sdk: { cpuUs: round(pick("sdk", "cpuUs")), wallUs: round(pick("sdk", "wallUs")) },
      cpuRatio: round(cpuRatio, 3),
      wallRatio: round(wallRatio, 3),
    };
    return saveResult({
      name: "overhead",
      title: "1. Per-call overhead (submit + one poll)",
      setup:
        `${CYCLES.toLocaleString("en")} cycles of \`t2i.submit()\` + \`task.status()\` against \`createFakeServer()\` on 127.0.0.1 ` +
        `(in a separate process, tasks already \`success\` at the first read, rate limit and quota out of reach), ` +
        `versus the same POST + GET with raw \`fetch\` and \`JSON.parse\` in the same process: ${ROUNDS} rounds, each running both sides interleaved in chunks of ${CHUNK} cycles so background load hits them alike. ` +
        "The client has `maxConcurrentTasks: 1e6` and `pollInterval.initialMs` of one hour, so neither the local quota nor the background poll adds a wait; " +
        "CPU is this process's user+system time per cycle (the server's is not counted), wall is elapsed time per sequential cycle. Ratios are medians of the per-round ratios.",
      rows: [
        { id: 1, measurement: "CPU per submit + poll cycle", modellix: micros(figures.sdk.cpuUs), baseline: `raw fetch ${micros(figures.raw.cpuUs)}`, ratio: ratio(cpuRatio), target: "≤ 1.10×" },
        { id: 1, measurement: "wall time per cycle", modellix: micros(figures.sdk.wallUs), baseline: `raw fetch ${micros(figures.raw.wallUs)}`, ratio: ratio(wallRatio), target: "≤ 1.10×" },
      ],
      detail: table(
        ["round", "raw CPU", "SDK CPU", "CPU ratio", "raw wall", "SDK wall", "wall ratio"],
        rounds.map((r, index) => [
          index + 1,
          micros(r.raw.cpuUs),
          micros(r.sdk.cpuUs),
          ratio(r.sdk.cpuUs / r.raw.cpuUs),
          micros(r.raw.wallUs),
          micros(r.sdk.wallUs),
          ratio(r.sdk.wallUs / r.raw.wallUs),
        ]),
      ),
      data: { ...figures, cycles: CYCLES, rounds },
    });
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await measureOverhead();
