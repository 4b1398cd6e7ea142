/** The SDK's poll schedule, computed: when the polls of one task happen. */
import type { PollSchedule } from "../../src/poller.js";

/** The client's default schedule: first poll after 2 s, then ×1.5 up to 5 s. */
export const defaultSchedule: PollSchedule = { initialMs: 2000, factor: 1.5, maxMs: 5000 };

/** A fixed 2 s schedule, the naive alternative. */
export const fixedTwoSeconds: PollSchedule = { initialMs: 2000, factor: 1, maxMs: 2000 };

/**
 * The polls a task needs under `schedule` when it finishes `durationMs` after
 * submit: the count up to and including the first poll at or after the end, and
 * that poll's time (when the client learns the task is done).
 */
export function pollsFor(schedule: PollSchedule, durationMs: number): { polls: number; seenAtMs: number } {
  let at = 0;
  let polls = 0;
  do {
    at += Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** polls);
    polls += 1;
  } while (at < durationMs);
  return { polls, seenAtMs: at };
}
