/**
 * `npm run bench`: runs every benchmark in a fresh Node process of its own,
 * then prints the summary table and writes bench/results/summary.md.
 * Benchmarks print figures and ratios against baselines measured in the same run; they are not tests.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { runScript } from "./lib/child.js";
import { type BenchResult, resultsDir, section, table } from "./lib/results.js";

const BENCHMARKS = [
  { script: "bundle.ts", result: "bundle" },
  { script: "overhead.ts", result: "overhead" },
  { script: "breakdown.ts", result: "breakdown" },
  { script: "quota.ts", result: "quota" },
  { script: "memory.ts", result: "memory" },
  { script: "polling.ts", result: "polling" },
];

const started = performance.now();
for (const { script } of BENCHMARKS) {
  const at = performance.now();
  console.log(`\n> bench/${script}\n`);
  await runScript(script);
  console.log(`(bench/${script}: ${((performance.now() - at) / 1000).toFixed(1)} s)`);
}

const results = BENCHMARKS.map(({ result }) => JSON.parse(readFileSync(`${resultsDir}${result}.json`, "utf8")) as BenchResult);
const { environment } = results[0] as BenchResult;
const heading =
  `Node ${environment.node}, ${environment.platform}, ${environment.cores} × ${environment.cpu}, ${environment.at.slice(0, 10)}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s. ` +
  "The SDK under test is src/ compiled by esbuild the way dist/ is (bench/lib/sdk.ts).";
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
