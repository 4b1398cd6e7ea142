import type { SoakCheck } from "./verify.js";

/** Adds up the checks of several soaks (e.g. one per team), keeping the largest server concurrency. */
export function mergeChecks(checks: readonly SoakCheck[]): SoakCheck {
  const sum = (pick: (check: SoakCheck) => number) => checks.reduce((total, check) => total + pick(check), 0);
  const mergeCounts = (pick: (check: SoakCheck) => Map<string, number>) => {
    const merged = new Map<string, number>();
    for (const check of checks) for (const [key, count] of pick(check)) merged.set(key, (merged.get(key) ?? 0) + count);
    return merged;
  };
  return {
    violations: checks.flatMap((check) => check.violations),
    faults: mergeCounts((check) => check.faults),
    outcomes: mergeCounts((check) => check.outcomes),
    duplicates: sum((check) => check.duplicates),
    untyped: sum((check) => check.untyped),
    hung: sum((check) => check.hung),
    unknown: { created: sum((check) => check.unknown.created), notCreated: sum((check) => check.unknown.notCreated) },
    retriesBeyondMax: sum((check) => check.retriesBeyondMax),
    schedule: { checked: sum((check) => check.schedule.checked), off: sum((check) => check.schedule.off) },
    server: {
      maxConcurrent: Math.max(0, ...checks.map((check) => check.server.maxConcurrent)),
      quota429: sum((check) => check.server.quota429),
    },
  };
}

/** The soak's summary table: what was injected, how tasks ended, and the invariants. */
export function formatSoakReport(check: SoakCheck, heading: string, extra: { quota: number; unhandled: number }): string {
  const tasks = [...check.outcomes.values()].reduce((total, count) => total + count, 0) + check.hung;
  const width = 44;
  const row = (label: string, value: string | number) => `  ${label.padEnd(width)} ${String(value).padStart(7)}`;
  const section = (title: string, counts: Map<string, number>) => [
    title,
    ...[...counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b)).map(([label, count]) => row(label, count)),
  ];
  const unknown = check.outcomes.get("SubmitOutcomeUnknownError") ?? 0;
  return [
    heading,
    row("tasks (logical submits)", tasks),
    ...section("faults injected (reached a request)", check.faults),
    row("total", [...check.faults.values()].reduce((total, count) => total + count, 0)),
    ...section("outcomes", check.outcomes),
    ...(unknown > 0 ? [row("  unknown outcome: a task was created", check.unknown.created), row("  unknown outcome: nothing was created", check.unknown.notCreated)] : []),
    "invariants",
    row("duplicate tasks for one submit", check.duplicates),
    row("untyped outcomes", check.untyped),
    row("unhandled rejections", extra.unhandled),
    row("hung tasks", check.hung),
    row(`max concurrent tasks at the server (quota ${extra.quota})`, check.server.maxConcurrent),
    row("429s caused by the quota", check.server.quota429),
    row("requests beyond maxRetries", check.retriesBeyondMax),
    row(`retry waits off schedule (of ${check.schedule.checked})`, check.schedule.off),
    row("violations", check.violations.length),
  ].join("\n");
}
