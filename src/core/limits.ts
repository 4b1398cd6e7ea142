import { ValidationError } from "./errors.js";
import { maxTimerMs } from "./http.js";

/**
 * Checks a duration in ms: a number ≥ `min` that a timer can hold (below
 * 2³¹ ms), or `Infinity` where `infinite` allows it ("no limit"). Node turns
 * NaN, negatives and larger values into 1 ms, so they are refused.
 */
export function checkMs(name: string, value: number | undefined, { min = 1, infinite = false } = {}): void {
  if (value === undefined) return;
  if (value === Number.POSITIVE_INFINITY && infinite) return;
  if (typeof value !== "number" || !(value >= min) || value > maxTimerMs) {
    const limit = infinite ? ", or Infinity for no limit" : "";
    throw new ValidationError([{ path: name, message: `must be a number of ms from ${min} to ${maxTimerMs}${limit} (got ${String(value)})` }], "options");
  }
}
