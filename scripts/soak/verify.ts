import { ModellixError, SubmitOutcomeUnknownError } from "modellix";
import type { FakeFault, FakeRequestRecord } from "modellix/testing";
import type { SoakRun, TaskRun } from "./run.js";

/** What a soak proved, and every invariant it found broken. */
export interface SoakCheck {
  /** One line per broken invariant; empty when all held. */
  violations: string[];
  /** Faults that reached a request, by label; planned endings of the tasks that were created too. */
  faults: Map<string, number>;
  /** How the logical submits ended: `success` or the error class name. */
  outcomes: Map<string, number>;
  /** Logical submits for which the server created more than one task. */
  duplicates: number;
  /** Endings that are not a typed `ModellixError` subclass. */
  untyped: number;
  /** Tasks that never settled, or whose wait timed out. */
  hung: number;
  /** `SubmitOutcomeUnknownError`s whose submit did create a task, and those whose did not. */
  unknown: { created: number; notCreated: number };
  /** Requests beyond `maxRetries` retries. */
  retriesBeyondMax: number;
  /** Retry waits checked against the schedule, and those off it. */
  schedule: { checked: number; off: number };
  /** The most tasks the server ever ran at once, and its 429s because of the quota. */
  server: { maxConcurrent: number; quota429: number };
}

/** How far a measured retry wait may stray from the schedule: 0 on fake timers, some slack on real time. */
export interface Tolerance {
  earlyMs: number;
  lateMs: number;
}

/** Checks every invariant of a soak against what the fake recorded. */
export function checkSoak(run: SoakRun, tolerance: Tolerance): SoakCheck {
  const check: SoakCheck = {
    violations: [],
    faults: new Map(),
    outcomes: new Map(),
    duplicates: 0,
    untyped: 0,
    hung: 0,
    unknown: { created: 0, notCreated: 0 },
    retriesBeyondMax: 0,
    schedule: { checked: 0, off: 0 },
    server: { maxConcurrent: run.stats.maxConcurrentObserved, quota429: run.stats.tooManyRequests.concurrency },
  };
  const { quota } = run.settings;
  if (check.server.maxConcurrent > quota) check.violations.push(`the server ran ${check.server.maxConcurrent} tasks at once (quota ${quota})`);
  if (check.server.quota429 > 0) check.violations.push(`the server answered ${check.server.quota429} submits 429 because of the quota`);
  // Submits are POST /api/v1/{provider}/{model_id}: each logical submit has its own model, so its POSTs and tasks are found by it.
  const posts = group(run.requests, (record) => (record.method === "POST" && record.route === "submit" ? /^\/api\/v1\/(soak\/[^/]+)$/.exec(record.path)?.[1] : undefined));
  const gets = group(run.requests, (record) => (record.method === "GET" && record.route === "task" ? /^\/api\/v1\/tasks\/([^/]+)$/.exec(record.path)?.[1] : undefined));
  const created = new Map<string, number>();
  for (const task of run.tasks) created.set(task.model, (created.get(task.model) ?? 0) + 1);
  const unplanned = run.requests.filter((record) => record.route !== "submit" && record.route !== "task");
  if (unplanned.length > 0) check.violations.push(`${unplanned.length} requests to other routes, e.g. ${unplanned[0]?.method} ${unplanned[0]?.path}`);
  for (const task of run.runs) {
    const taskPosts = posts.get(task.plan.model) ?? [];
    const taskGets = task.taskId ? (gets.get(task.taskId) ?? []) : [];
    checkTask(check, run, task, taskPosts, taskGets, created.get(task.plan.model) ?? 0, tolerance);
  }
  return check;
}

function checkTask(
  check: SoakCheck,
  run: SoakRun,
  task: TaskRun,
  posts: FakeRequestRecord[],
  gets: FakeRequestRecord[],
  created: number,
  tolerance: Tolerance,
): void {
  const { plan } = task;
  const fail = (message: string) => check.violations.push(`task ${plan.index} (${plan.model}): ${message}`);
  countApplied(check.faults, posts, plan.submitFaults.map((fault) => fault.label));
  countApplied(check.faults, gets, plan.pollFaults.map((fault) => fault.label));
  if (plan.ending !== "success" && created > 0) add(check.faults, plan.ending === "fail" ? "task ends failed" : "task expires", 1);
  if (created > 1) {
    check.duplicates++;
    fail(`${created} tasks were created for one submit`);
  }
  if (!task.settled) {
    check.hung++;
    fail("never settled");
    return;
  }
  const outcome = task.error === undefined ? "success" : errorName(task.error);
  add(check.outcomes, outcome, 1);
  if (outcome === "untyped") {
    check.untyped++;
    fail(`ended with an untyped error: ${String(task.error)}`);
  }
  if (outcome === "success" && (created !== 1 || plan.ending !== "success" || !task.result?.resources.every((r) => /^https?:\/\//.test(r.url)))) {
    fail(`succeeded although created=${created}, planned ${plan.ending}`);
  }
  if (outcome === "TaskFailedError" && plan.ending !== "fail") fail("failed although not planned to");
  if (outcome === "WaitTimeoutError") {
    // Every planned task ends within minutes, far below the waits' default timeouts: this one hung somewhere.
    check.hung++;
    fail("waited until its wait timed out");
  }
  if (outcome === "TaskExpiredError" && plan.ending !== "expire") fail("expired although not planned to");
  if (task.error instanceof SubmitOutcomeUnknownError) {
    const error = task.error;
    if (created > 0) check.unknown.created++;
    else check.unknown.notCreated++;
    if (error.attempt !== posts.length || !error.message.includes(`attempt ${posts.length}`)) {
      fail(`SubmitOutcomeUnknownError names attempt ${error.attempt} but ${posts.length} POSTs were sent`);
    }
  }
  const { maxRetries, timeoutMs, poll } = run.settings;
  const chains: Array<[FakeRequestRecord[], FakeFault[], Limits["nextPoll"]]> = [
    [posts, task.injected.submit, undefined],
    [gets, task.injected.poll, [poll.minMs, poll.maxMs]],
  ];
  for (const [records, faults, nextPoll] of chains) {
    const beyond = checkRetries(check, records, faults, { maxRetries, timeoutMs, nextPoll }, tolerance);
    if (beyond > 0) {
      check.retriesBeyondMax += beyond;
      fail(`${beyond} requests beyond maxRetries (${maxRetries})`);
    }
  }
}

/** The client's limits that a chain of requests is checked against. */
interface Limits {
  maxRetries: number;
  timeoutMs: number;
  /**
   * Task reads only: once a read has failed `maxRetries` + 1 times, the poller reads
   * again on its own schedule (a new call, after between these two delays), not as a retry.
   */
  nextPoll: [number, number] | undefined;
}

/**
 * Walks one task's POSTs or GETs in order. After each failed attempt the next
 * request must be its retry, started on schedule: the wait the server asked
 * for, if it named one (Retry-After, or X-RateLimit-Reset on a 429 without a
 * remaining count; at least 1 s), which uses up no retry; else p-retry's
 * backoff 1 s, 2 s, 4 s ... (each up to twice that, at most 8 s), which uses up
 * one. A failure with no retry left ends the call: after a read's, the next read
 * must come on the poll schedule; after a submit's, no POST may follow. Returns
 * how many requests went beyond maxRetries.
 */
function checkRetries(check: SoakCheck, records: FakeRequestRecord[], faults: FakeFault[], limits: Limits, tolerance: Tolerance): number {
  let used = 0; // retries the current call has used up
  let beyond = 0;
  let faultIndex = 0;
  records.forEach((record, index) => {
    const fault = record.fault ? faults[faultIndex++] : undefined;
    if (!failed(record, fault)) {
      used = 0;
      return;
    }
    const next = records[index + 1];
    const answeredAt = record.at + (fault && timedOut(record, fault) ? limits.timeoutMs : 0);
    const ended = used === limits.maxRetries;
    const serverWait = fault && !ended ? requestedWait(fault, answeredAt) : undefined;
    used = ended ? 0 : used + (serverWait === undefined ? 1 : 0);
    if (!next || !fault) return;
    if (ended && !limits.nextPoll) {
      beyond++;
      return;
    }
    const [low, high] = ended && limits.nextPoll ? limits.nextPoll : serverWait !== undefined ? [serverWait, serverWait] : backoff(used);
    const waited = next.at - answeredAt;
    check.schedule.checked++;
    if (waited < low - tolerance.earlyMs || waited > high + tolerance.lateMs) {
      check.schedule.off++;
      check.violations.push(`${record.method} ${record.path}: ${ended ? "next poll" : `retry ${used}`} after ${fault.kind} waited ${waited} ms, expected ${low}–${high} ms`);
    }
  });
  return beyond;
}

/** The client saw this attempt fail: no answer, an error status, or a 2xx it cannot use. */
function failed(record: FakeRequestRecord, fault: FakeFault | undefined): boolean {
  if (record.status === 0 || record.status >= 400) return true;
  return fault?.kind === "malformed-json" || fault?.kind === "envelope-error" || fault?.kind === "status-after-create";
}

function timedOut(record: FakeRequestRecord, fault: FakeFault): boolean {
  return record.status === 0 && (fault.kind === "hang" || fault.kind === "delay" || fault.kind === "delay-after-create");
}

/** The wait the server asked for after a failed attempt, as the SDK honours it (at least 1 s), or undefined. */
function requestedWait(fault: FakeFault, answeredAt: number): number | undefined {
  if (fault.kind !== "status" || fault.status !== 429) return undefined;
  const headers: Record<string, string> = { "Retry-After": "1", ...fault.headers };
  const retryAfter = headers["Retry-After"];
  if (retryAfter) return Math.max(1000, Number(retryAfter) * 1000);
  const reset = headers["X-RateLimit-Reset"];
  // A reset time already past says nothing (the fault was made when injected): then the backoff applies.
  const wait = Number(reset) * 1000 - answeredAt;
  return reset && !headers["X-RateLimit-Remaining"] && wait > 0 ? Math.max(1000, wait) : undefined;
}

/** p-retry's backoff once `used` retries are used up: 1 s, 2 s, 4 s ... at most 8 s, each randomized up to twice that (still at most 8 s). */
function backoff(used: number): [number, number] {
  const base = Math.min(1000 * 2 ** (used - 1), 8000);
  return [base, Math.min(base * 2, 8000)];
}

/** Records grouped by the key each yields (records without one are left out). */
function group(records: readonly FakeRequestRecord[], keyOf: (record: FakeRequestRecord) => string | undefined): Map<string, FakeRequestRecord[]> {
  const groups = new Map<string, FakeRequestRecord[]>();
  for (const record of records) {
    const key = keyOf(record);
    if (key === undefined) continue;
    const list = groups.get(key) ?? [];
    list.push(record);
    groups.set(key, list);
  }
  return groups;
}

/** Counts the labels of the planned faults that reached a request (they are met in order). */
function countApplied(counts: Map<string, number>, records: FakeRequestRecord[], labels: string[]): void {
  const applied = records.filter((record) => record.fault !== undefined).length;
  for (const label of labels.slice(0, applied)) add(counts, label, 1);
}

function errorName(error: unknown): string {
  return error instanceof ModellixError && error.constructor !== ModellixError ? error.name : "untyped";
}

function add(counts: Map<string, number>, key: string, amount: number): void {
  counts.set(key, (counts.get(key) ?? 0) + amount);
}
