/**
 * 1. CPU per submit + 3 polls: one submit and three status reads through
 * modellix, openai-node, @fal-ai/client and replicate, and with raw fetch,
 * against one local server (another process, so this process's CPU time is the
 * clients' alone), interleaved in chunks over several rounds.
 */
import { startApiServer } from "./lib/child.js";
import { type Cycle, MODEL, falCycle, modellixCycle, openaiCycle, rawFetchCycle, replicateCycle } from "./lib/clients.js";
import { type Cost, interleave } from "./lib/measure.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { median, micros, ratio, round } from "./lib/stats.js";

const CYCLES = 600;
const ROUNDS = 5;
const WARMUP = 200;
const CHUNK = 50;

const SIDES = ["raw fetch", "modellix", "openai", "@fal-ai/client", "replicate"] as const;
type Side = (typeof SIDES)[number];

const WHAT: Record<Side, string> = {
  "raw fetch": `\`fetch\` POST /api/v1/${MODEL} + 3 × GET /api/v1/tasks/{id}, \`JSON.parse\``,
  modellix: "`client.t2i.submit()` (validated, quota slot, retry policy, timeout) + 3 × `task.status()`",
  openai: "`client.videos.create()` + 3 × `client.videos.retrieve()`",
  "@fal-ai/client": "`fal.queue.submit()` + 3 × `fal.queue.status()` (proxy mode)",
  replicate: "`client.predictions.create()` + 3 × `client.predictions.get()`",
};

/** Measures every client and saves `results/overhead.json`. */
export async function measureOverhead(): Promise<BenchResult> {
  const server = await startApiServer();
  try {
    const cycles: Record<Side, Cycle> = {
      "raw fetch": rawFetchCycle(server.url),
      modellix: modellixCycle(server.url),
      openai: openaiCycle(server.url),
      "@fal-ai/client": falCycle(server.url),
      replicate: replicateCycle(server.url),
    };
    await interleave(cycles, WARMUP, CHUNK);
    const rounds: Array<Record<Side, Cost>> = [];
    for (let index = 0; index < ROUNDS; index++) {
      globalThis.gc?.();
      rounds.push(await interleave(cycles, CYCLES, CHUNK));
    }
    const cpu = (side: Side) => median(rounds.map((r) => r[side].cpuUs));
    const wall = (side: Side) => median(rounds.map((r) => r[side].wallUs));
    /** Median over the rounds of the per-round ratio (both sides met the same background load in a round). */
    const cpuRatio = (side: Side, to: Side) => median(rounds.map((r) => r[side].cpuUs / r[to].cpuUs));
    const figures = Object.fromEntries(
      SIDES.map((side) => [
        side,
        { cpuUs: round(cpu(side)), wallUs: round(wall(side)), cpuRatioToRaw: round(cpuRatio(side, "raw fetch"), 3), cpuRatioToOpenai: round(cpuRatio(side, "openai"), 3) },
      ]),
    ) as Record<Side, { cpuUs: number; wallUs: number; cpuRatioToRaw: number; cpuRatioToOpenai: number }>;
    const modellix = figures.modellix;
    return saveResult({
      name: "overhead",
      title: "1. CPU per submit + 3 polls",
      setup:
        `**Real time**, real sockets: ${ROUNDS} rounds of ${CYCLES.toLocaleString("en")} sequential cycles per client (after ${WARMUP} warm-up cycles), one submit and three status reads each (the server answers a new task as queued, running, then done), ` +
        "against one minimal local HTTP server in another process (bench/lib/api-server.ts) that answers each API's documented JSON at once. " +
        `The clients take turns in chunks of ${CHUNK} cycles, so background load hits them alike. CPU is this process's user + system time per cycle (the server's is not counted); ` +
        "ratios are medians of the per-round ratios. The modellix client has its quota and first background poll out of reach (`maxConcurrentTasks: 1e6`, `pollInterval` of an hour) and logging off; " +
        "it is src/ compiled by esbuild the way dist/ is. Peers are the installed dev dependencies with default options.",
      rows: [
        {
          id: 1,
          measurement: "CPU per submit + 3 polls (real time, local sockets)",
          modellix: micros(modellix.cpuUs),
          baseline: `raw fetch ${micros(figures["raw fetch"].cpuUs)}; openai ${micros(figures.openai.cpuUs)}`,
          ratio: `${ratio(modellix.cpuRatioToRaw)} raw; ${ratio(modellix.cpuRatioToOpenai)} openai`,
          target: "≤ 1.30× openai",
        },
        {
          id: 1,
          measurement: "CPU per cycle of the peers, ÷ raw fetch",
          modellix: ratio(modellix.cpuRatioToRaw),
          baseline: (["openai", "@fal-ai/client", "replicate"] as const).map((side) => `${side} ${ratio(figures[side].cpuRatioToRaw)}`).join(", "),
          ratio: "",
          target: "",
        },
      ],
      detail: [
        ...table(
          ["client", "CPU / cycle", "÷ raw fetch", "÷ openai", "wall / cycle", "cycle"],
          SIDES.map((side) => [
            side,
            micros(figures[side].cpuUs),
            ratio(figures[side].cpuRatioToRaw),
            ratio(figures[side].cpuRatioToOpenai),
            micros(figures[side].wallUs),
            WHAT[side],
          ]),
        ),
        "",
        "Per round (CPU per cycle):",
        "",
        ...table(
          ["round", ...SIDES],
          rounds.map((r, index) => [index + 1, ...SIDES.map((side) => micros(r[side].cpuUs))]),
        ),
      ],
      data: { cycles: CYCLES, rounds: ROUNDS, figures, perRound: rounds },
    });
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await measureOverhead();
