/**
 * `npm run bench`: runs every benchmark in a fresh Node process of its own
 * (with `--expose-gc`), then prints the summary table and writes
 * bench/results/summary.md. Every ratio compares figures measured in the same
 * run. Benchmarks are not tests: nothing here fails on a slow machine.
 *
 *   npm run bench                # all
 *   npm run bench -- bundle http # only these (by file name, without .ts)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { runScript } from "./lib/child.js";
import { type BenchResult, resultsDir, section, table } from "./lib/results.js";

const BENCHMARKS = [
  { script: "bundle.ts", result: "bundle" },
  { script: "overhead.ts", result: "overhead" },
  { script: "http.ts", result: "http" },
  { script: "memory.ts", result: "memory" },
  { script: "quota.ts", result: "quota" },
  { script: "redis.ts", result: "redis" },
  { script: "waiting.ts", result: "waiting" },
];

const only = process.argv.slice(2);
const chosen = only.length ? BENCHMARKS.filter(({ result }) => only.includes(result)) : BENCHMARKS;
if (only.length && chosen.length !== only.length) {
  throw new Error(`unknown benchmark in ${only.join(", ")}; choose from ${BENCHMARKS.map(({ result }) => result).join(", ")}`);
}

const started = performance.now();
for (const { script } of chosen) {
  const at = performance.now();
  console.log(`\n> bench/${script}\n`);
  await runScript(script);
  console.log(`(bench/${script}: ${((performance.now() - at) / 1000).toFixed(1)} s)`);
}

// The summary covers every result on disk: those of this run, and earlier ones for benchmarks not run now.
const results = BENCHMARKS.filter(({ result }) => existsSync(`${resultsDir}${result}.json`)).map(
  ({ result }) => JSON.parse(readFileSync(`${resultsDir}${result}.json`, "utf8")) as BenchResult,
);
const latest = results.map((result) => result.environment).sort((a, b) => b.at.localeCompare(a.at))[0];
const heading = latest
  ? `Node ${latest.node}, ${latest.platform}, ${latest.cores} × ${latest.cpu}, ${latest.at.slice(0, 10)}; this run ${((performance.now() - started) / 1000).toFixed(0)} s` +
    `${only.length ? ` (only ${only.join(", ")})` : ""}. The SDK under test is src/ compiled by esbuild the way dist/ is (bench/lib/sdk.ts).`
  : "";
const summary = table(
  ["#", "measurement", "modellix", "baseline (same run)", "ratio", "target"],
  results
    .flatMap((result) => result.rows)
    .sort((a, b) => a.id - b.id)
    .map((row) => [row.id, row.measurement, row.modellix, row.baseline, row.ratio, row.target]),
);
const markdown = ["## Summary", "", heading, "", ...summary, "", ...results.map(section)].join("\n");
writeFileSync(`${resultsDir}summary.md`, `${markdown}\n`);
console.log(`\n${["## Summary", "", heading, "", ...summary].join("\n")}\n\nAll sections: bench/results/summary.md; raw figures: bench/results/*.json`);
