/**
 * `npm run soak`: the fault-injection soak over real HTTP and real time.
 *
 * Runs `--tasks` logical submits (default 1000) through the SDK, split over
 * `--teams` teams (default 10) that run in parallel, each with its own fake
 * Modellix server on 127.0.0.1 (quota 3) and its own client. Submits go through
 * all nine namespaces, each to its own model (`POST /api/v1/soak/{team}.{n}`), so
 * the fake's request log ties every POST, task and fault to one logical submit.
 * Faults are drawn from `--seed`. Prints the summary table and exits non-zero if
 * any invariant broke.
 */
import { parseArgs } from "node:util";
import { createFakeServer } from "modellix/testing";
import { formatSoakReport, mergeChecks } from "./soak/report.js";
import { runSoak, soakSettings } from "./soak/run.js";
import { checkSoak } from "./soak/verify.js";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000" },
    teams: { type: "string", default: "10" },
    seed: { type: "string", default: "42" },
  },
});
const tasks = Number(values.tasks);
const teams = Number(values.teams);
const seed = Number(values.seed);

/** Short tasks and timeouts, so that the 1 s, 2 s, 4 s retry backoff dominates the run time. */
const choice = {
  durationMs: [100, 300],
  timeoutMs: 400,
  rates: { submitFaults: 0.3, pollFaults: 0.3, fail: 0.08, expire: 0.05, rateLimited: 0.02 },
  deadlineMs: 240_000,
} as const;

const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

const startedAt = Date.now();
const checks = await Promise.all(
  Array.from({ length: teams }, async (_, team) => {
    const server = await createFakeServer();
    try {
      const share = Math.floor(tasks / teams) + (team < tasks % teams ? 1 : 0);
      const settings = soakSettings({ ...choice, tasks: share, seed: seed + team, tag: `team${team}` });
      const run = await runSoak({ fake: server.fake, baseURL: server.url }, settings);
      return checkSoak(run, { earlyMs: 5, lateMs: 500 });
    } finally {
      await server.close();
    }
  }),
);
const check = mergeChecks(checks);
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
const heading = `soak: ${tasks} tasks in ${teams} teams (quota 3 each, own fake server over HTTP), seed ${seed}, ${seconds} s real time`;
console.log(formatSoakReport(check, heading, { quota: 3, unhandled: unhandled.length }));
for (const violation of check.violations.slice(0, 20)) console.log(`  ! ${violation}`);
process.exit(check.violations.length === 0 && unhandled.length === 0 ? 0 : 1);
