import type { FakeFault } from "modellix/testing";
import { seededRandom } from "../../bench/lib/stats.js";

/** A random source in [0, 1): seeded, so a soak run can be replayed. */
export type Random = () => number;

/** The request-level timings a plan needs to build its faults. */
export interface FaultTimings {
  /** The client's per-request timeout. */
  timeoutMs: number;
}

/** One fault of a plan: a report label and the fault, made when it is injected (some read the clock). */
export interface PlannedFault {
  label: string;
  make(now: number): FakeFault;
}

/** Namespaces the soak submits through, in turn: all nine. */
export const soakTypes = ["t2i", "i2v", "t2v", "i2i", "expansion", "v2v", "tts", "stt", "sts"] as const;
export type SoakType = (typeof soakTypes)[number];

/** What happens to one logical submit: its unique model and prompt, how its task ends, and the faults on its requests. */
export interface TaskPlan {
  index: number;
  type: SoakType;
  /** Unique per logical submit, as text for the model (a prompt, or the text to speak). */
  prompt: string;
  /**
   * Unique per logical submit (`soak/{tag}.{index}`, a dot in its id as real ids have):
   * its POSTs go to `/api/v1/soak/{tag}.{index}`, so faults can target them, and the
   * server's tasks are counted by it.
   */
  model: `soak/${string}`;
  ending: "success" | "fail" | "expire";
  durationMs: number;
  /** Faults on this submit's POST attempts, in order. */
  submitFaults: PlannedFault[];
  /** Faults on this task's GETs, in order, starting at its first poll. */
  pollFaults: PlannedFault[];
}

type Weighted = [weight: number, fault: (timings: FaultTimings) => PlannedFault];

const fixed = (label: string, fault: FakeFault) => (): PlannedFault => ({ label, make: () => fault });
const status = (code: number) => fixed(String(code), { kind: "status", status: code });

/**
 * 429 variants: Retry-After in seconds; none (exponential backoff, as the window
 * still has requests remaining); or only X-RateLimit-Reset (no Retry-After, no
 * remaining count). The pacer's reaction to "0 remaining" is tested on its own.
 */
const tooMany429: Weighted[] = [
  [2, fixed("429 + Retry-After: 1", { kind: "status", status: 429, headers: { "Retry-After": "1" } })],
  [1, fixed("429 + Retry-After: 0", { kind: "status", status: 429, headers: { "Retry-After": "0" } })],
  [2, fixed("429 without Retry-After", { kind: "status", status: 429, headers: { "Retry-After": "" } })],
  [
    1,
    () => ({
      label: "429 + X-RateLimit-Reset",
      make: (now) => ({
        kind: "status",
        status: 429,
        headers: { "Retry-After": "", "X-RateLimit-Remaining": "", "X-RateLimit-Reset": String(Math.ceil(now / 1000) + 2) },
      }),
    }),
  ],
];

/** A rate limit that persists: 429s that name no wait use up a retry each, so a submit that meets maxRetries + 1 of them ends in RateLimitError. */
const persistent429 = fixed("429 without Retry-After", { kind: "status", status: 429, headers: { "Retry-After": "" } });

/** Faults any request may meet. */
const common: Weighted[] = [
  ...tooMany429,
  [1, status(500)],
  [1, status(502)],
  [2, status(503)],
  [1, status(504)],
  [1, fixed("reset", { kind: "reset" })],
  [1, fixed("refuse", { kind: "refuse" })],
  [1, fixed("reset-after-create", { kind: "reset-after-create" })],
  [1, fixed("hang", { kind: "hang" })],
  [1, fixed("malformed-json", { kind: "malformed-json" })],
  [1, fixed("extra-fields", { kind: "extra-fields" })],
  [1, fixed("missing-fields", { kind: "missing-fields" })],
  [1, fixed("envelope code 429", { kind: "envelope-error", code: 429, message: "Too Many Requests: busy" })],
  [1, fixed("envelope code 10001", { kind: "envelope-error", code: 10001, message: "Internal Error: queue unavailable" })],
  [1, (t) => fixed("delay (answered in time)", { kind: "delay", ms: Math.round(t.timeoutMs / 4) })()],
  [1, (t) => fixed("delay-after-create (past timeout)", { kind: "delay-after-create", ms: t.timeoutMs * 2 })()],
];

/** Faults only submits meet: answers that come after the task was created. */
const submitOnly: Weighted[] = [
  [1, fixed("status-after-create 500", { kind: "status-after-create", status: 500 })],
  [1, fixed("status-after-create 502", { kind: "status-after-create", status: 502 })],
  [1, fixed("status-after-create 504", { kind: "status-after-create", status: 504 })],
  [1, fixed("status-after-create 200 without data", { kind: "status-after-create", status: 200, message: "success" })],
];

/** Faults only reads meet. */
const pollOnly: Weighted[] = [[1, fixed("envelope code 500", { kind: "envelope-error", code: 500, message: "Internal Server Error: try again" })]];

function pick(random: Random, table: readonly Weighted[], timings: FaultTimings): PlannedFault {
  const total = table.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [weight, make] of table) {
    roll -= weight;
    if (roll < 0) return make(timings);
  }
  const last = table[table.length - 1];
  if (!last) throw new RangeError("empty fault table");
  return last[1](timings);
}

/** 0 faults most of the time; else 1–`max` of them, fewer being likelier. */
function faultCount(random: Random, probability: number, max: number): number {
  if (random() >= probability) return 0;
  let count = 1;
  while (count < max && random() < 0.4) count++;
  return count;
}

/** How a soak's tasks are drawn. */
export interface PlanOptions extends FaultTimings {
  tasks: number;
  seed: number;
  /** Shortest and longest task duration at the server. */
  durationMs: readonly [number, number];
  /** Retries after the first attempt: plans reach up to one more fault than this, to exhaust them. */
  maxRetries: number;
  /**
   * Share of tasks with submit faults, with poll faults, that fail, that expire, and whose
   * submit meets a 429 on every attempt (more than `maxRetries` allow: it ends in `RateLimitError`).
   */
  rates: { submitFaults: number; pollFaults: number; fail: number; expire: number; rateLimited: number };
  /** Prefix of prompts and model ids, unique per run. */
  tag: string;
}

/** Draws every task's plan from the seed. */
export function planTasks(options: PlanOptions): TaskPlan[] {
  const random = seededRandom(options.seed);
  const { rates, maxRetries } = options;
  const [shortest, longest] = options.durationMs;
  return Array.from({ length: options.tasks }, (_, index) => {
    const roll = random();
    const ending = roll < rates.fail ? "fail" : roll < rates.fail + rates.expire ? "expire" : "success";
    const limited = random() < rates.rateLimited;
    const submits = limited ? maxRetries + 1 : faultCount(random, rates.submitFaults, maxRetries + 1);
    const polls = faultCount(random, rates.pollFaults, maxRetries + 1);
    return {
      index,
      type: soakTypes[index % soakTypes.length] ?? "t2i",
      prompt: `${options.tag} task ${index}`,
      model: `soak/${options.tag}.${index}`,
      ending,
      durationMs: Math.round(shortest + random() * (longest - shortest)),
      submitFaults: Array.from({ length: submits }, () => (limited ? persistent429() : pick(random, [...common, ...submitOnly], options))),
      pollFaults: Array.from({ length: polls }, () => pick(random, [...common, ...pollOnly], options)),
    };
  });
}
