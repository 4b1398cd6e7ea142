import { ValidationError, type ValidationIssue } from "./errors.js";
import { maxTimerMs } from "./http.js";

/** What a duration option may be. */
export interface DurationRule {
  /** The smallest value (default 1). */
  min?: number;
  /** `Infinity` is allowed, meaning "no limit". */
  infinite?: boolean;
}

/**
 * The problem with a duration in ms, if any: it must be a number ≥ `min` that
 * a timer can hold (below 2³¹ ms), or `Infinity` where allowed. Node turns
 * NaN, negatives and larger values into 1 ms, so they are refused.
 */
export function durationIssue(name: string, value: unknown, { min = 1, infinite = false }: DurationRule = {}): ValidationIssue | undefined {
  if (value === undefined || (value === Number.POSITIVE_INFINITY && infinite)) return undefined;
  if (typeof value === "number" && value >= min && value <= maxTimerMs) return undefined;
  const limit = infinite ? ", or Infinity for no limit" : "";
  return { path: name, message: `must be a number of ms from ${min} to ${maxTimerMs}${limit} (got ${String(value)})` };
}

/** Throws a {@link ValidationError} for a bad duration (see {@link durationIssue}). */
export function checkMs(name: string, value: unknown, rule?: DurationRule): void {
  const issue = durationIssue(name, value, rule);
  if (issue) throw new ValidationError([issue], "options");
}

/** The problem with a count option, if any: it must be a whole number ≥ `min`. */
export function countIssue(name: string, value: unknown, min: number): ValidationIssue | undefined {
  if (value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= min)) return undefined;
  return { path: name, message: `must be a whole number, ${min} or more` };
}
