/**
 * The checks every submit body gets, whatever the model: only what is surely
 * wrong for the API — a `prompt` that is not a string, numbers JSON cannot
 * carry (NaN, Infinity) anywhere in the body, and files where the SDK does not
 * upload them (deeper than a top-level field or a top-level array's item).
 */
import type { ValidationIssue } from "../core/errors.js";
import { isBinary } from "./binary.js";
import { describeValue } from "./describe.js";

/** How deep the scan for non-finite numbers looks into nested arrays and objects. */
export const MAX_SCAN_DEPTH = 64;

/** At most this many issues are reported from the scan. */
const MAX_ISSUES = 20;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Finds every non-finite number in `body`, and every file the SDK would not
 * upload (nested deeper than a top-level field or a top-level array's item:
 * JSON would turn it into `{}` or a list of bytes). Iterative (no recursion), up
 * to {@link MAX_SCAN_DEPTH} levels, visiting each object once (so cycles and
 * shared references end). Files and non-plain objects are not entered.
 */
export function bodyValueIssues(body: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new WeakSet<object>([body]);
  const stack: [value: unknown, path: string, depth: number, uploaded: boolean][] = [];
  const pushChildren = (entries: [string, unknown][], prefix: string, depth: number, uploaded: boolean) => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string, unknown];
      stack.push([value, prefix ? `${prefix}.${key}` : key, depth, uploaded]);
    }
  };
  pushChildren(Object.entries(body), "", 1, true);
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const [value, path, depth, uploaded] = stack.pop() as [unknown, string, number, boolean];
    if (typeof value === "number") {
      if (!Number.isFinite(value)) issues.push({ path, message: `must be a finite number (got ${describeValue(value)})` });
      continue;
    }
    if (isBinary(value)) {
      if (!uploaded) issues.push({ path, message: "is a file nested too deep to be uploaded: upload it with client.files.upload() and pass its url" });
      continue;
    }
    if (typeof value !== "object" || value === null || depth >= MAX_SCAN_DEPTH || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) pushChildren(value.map((item, index) => [String(index), item]), path, depth + 1, depth === 1);
    else if (isPlainObject(value)) pushChildren(Object.entries(value), path, depth + 1, false);
  }
  return issues;
}

/** The checks for a body of any model; `prompt` is checked unless the model's own schema does. */
export function looseIssues(body: Record<string, unknown>, options: { checkPrompt: boolean }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options.checkPrompt && body.prompt !== undefined && typeof body.prompt !== "string") {
    issues.push({ path: "prompt", message: `must be a string (got ${describeValue(body.prompt)})` });
  }
  issues.push(...bodyValueIssues(body));
  return issues;
}
