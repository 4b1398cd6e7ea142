/** What each benchmark writes to bench/results/<name>.json, and how the runner prints it. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

/** One line of the summary table. */
export interface SummaryRow {
  /** Benchmark number (1–5) as in the README. */
  id: number;
  measurement: string;
  modellix: string;
  baseline: string;
  ratio: string;
  target: string;
}

/** One benchmark's result file. */
export interface BenchResult {
  name: string;
  title: string;
  /** How the measurement was set up, one paragraph. */
  setup: string;
  rows: SummaryRow[];
  /** Markdown detail lines (a table, notes). */
  detail: string[];
  /** Raw figures for scripts. */
  data: Record<string, unknown>;
  environment: { node: string; platform: string; cpu: string; cores: number; at: string };
}

/** The directory results are written to. */
export const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));

/** Writes `bench/results/<name>.json` and prints the benchmark's section. */
export function saveResult(result: Omit<BenchResult, "environment">): BenchResult {
  const cpu = cpus();
  const full: BenchResult = {
    ...result,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpu[0]?.model.trim() ?? "unknown",
      cores: cpu.length,
      at: new Date().toISOString(),
    },
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}${result.name}.json`, `${JSON.stringify(full, null, 2)}\n`);
  console.log(section(full));
  return full;
}

/** A benchmark's markdown section: title, setup, details. */
export function section(result: BenchResult): string {
  return [`### ${result.title}`, "", result.setup, "", ...result.detail, ""].join("\n");
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}
