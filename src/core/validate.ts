import type * as z from "zod/mini";
import { ValidationError, type ValidationIssue } from "./errors.js";

/** Parses `input` with `schema`, or throws a {@link ValidationError} naming every bad field. */
export function validate<S extends z.ZodMiniType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(toIssues(result.error.issues, input), subject);
}

/** Turns zod issues into one readable message per field. */
export function toIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return issues.map((issue) => {
    const value = valueAt(input, issue.path);
    const path = [...prefix, ...issue.path].map(String).join(".");
    if (issue.code !== "invalid_type") return { path, message: issue.message };
    if (value === undefined) return { path, message: "is required" };
    const expected = issue.expected === "int" ? "an integer" : `a ${issue.expected}`;
    return { path, message: `must be ${expected} (got ${describe(value)})` };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number") return String(value);
  return typeof value;
}
