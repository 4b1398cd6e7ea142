import type { FakeParamSpec } from "./models.js";

/** A checked submit body, or the detail of the 400 answer (`"Missing required parameter: prompt"`). */
export type SubmitCheck = { input: Record<string, unknown> } | { error: string };

/** The parts of a parameter spec the checks read (also used for array elements). */
interface Rule {
  type?: string | undefined;
  items?: string | undefined;
  uri?: boolean | undefined;
  enum?: readonly unknown[] | undefined;
  min?: number;
  max?: number;
  format?: string;
}

/** The size templates a `format` alternative may be; any other alternative is a literal preset such as `2K`. */
const SIZE_TEMPLATES: Readonly<Record<string, RegExp>> = {
  WIDTHxHEIGHT: /^[1-9]\d*x[1-9]\d*$/,
  "WIDTH*HEIGHT": /^[1-9]\d*\*[1-9]\d*$/,
};

const SIZE_EXAMPLES: Readonly<Record<string, string>> = { WIDTHxHEIGHT: "2048x2048", "WIDTH*HEIGHT": "1024*1024" };

/**
 * Checks a submit body the way the API does. The body must be a JSON object.
 * With `params` (a known model): every required parameter present (a blank
 * string counts as missing), and each given one of its type, in its enum, within
 * its range (string length, number value, array length), in its `format` (size
 * templates `WIDTHxHEIGHT` / `WIDTH*HEIGHT` or literal presets, `|`-separated), an
 * http(s) URL where `uri` says so; array items are checked against `items`, and an
 * enum or `uri` on an array applies to its items. Unlisted fields pass. Without
 * `params`: `prompt`, when given, must be a string, and is required when `promptRequired`.
 */
export function checkSubmitBody(body: unknown, params: readonly FakeParamSpec[] | undefined, promptRequired: boolean): SubmitCheck {
  if (!isObject(body)) return { error: "Invalid request body: expected a JSON object" };
  const rules: ReadonlyArray<Rule & { name: string; required?: boolean }> = params ?? [
    { name: "prompt", type: "string", required: promptRequired },
  ];
  for (const rule of rules) {
    const value = body[rule.name];
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
      if (rule.required) return { error: `Missing required parameter: ${rule.name}` };
      if (value === undefined || value === null) continue;
    }
    const problem = checkValue(value, rule);
    if (problem) return { error: `Invalid parameter: ${rule.name} ${problem}` };
  }
  return { input: body };
}

/** Why `value` breaks `rule` (the end of the message after the parameter's name), or undefined when it holds. */
function checkValue(value: unknown, rule: Rule): string | undefined {
  const typeProblem = checkType(value, rule.type);
  if (typeProblem) return typeProblem;
  if (Array.isArray(value)) return checkArray(value, rule);
  if (rule.enum && !rule.enum.includes(value)) return `must be one of: ${rule.enum.map(String).join(", ")}`;
  if (typeof value === "string") return checkString(value, rule);
  if (typeof value === "number") return checkRange(value, rule, "");
  return undefined;
}

function checkType(value: unknown, type: string | undefined): string | undefined {
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : "must be a string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : "must be an integer";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "array":
      return Array.isArray(value) ? undefined : "must be an array";
    case "object":
      return isObject(value) ? undefined : "must be an object";
    default:
      return undefined;
  }
}

function checkString(value: string, rule: Rule): string | undefined {
  if (rule.min !== undefined && value.length < rule.min) return `must be at least ${rule.min} characters`;
  if (rule.max !== undefined && value.length > rule.max) return `must be at most ${rule.max} characters`;
  if (rule.format !== undefined && !matchesFormat(value, rule.format)) return formatProblem(rule.format);
  if (rule.uri === true && !/^https?:\/\/\S+$/i.test(value)) return "must be an http(s) URL";
  return undefined;
}

/** True when `value` matches one of the `|`-separated alternatives of `format`. */
function matchesFormat(value: string, format: string): boolean {
  return format.split("|").some((alternative) => {
    const template = SIZE_TEMPLATES[alternative.trim()];
    return template ? template.test(value) : value === alternative.trim();
  });
}

function formatProblem(format: string): string {
  const alternatives = format.split("|").map((alternative) => alternative.trim());
  const example = alternatives.map((alternative) => SIZE_EXAMPLES[alternative]).find((found) => found !== undefined);
  const forms = alternatives.length === 1 ? format : `one of ${alternatives.join(", ")}`;
  return `must be ${forms}${example ? `, e.g. ${example}` : ""}`;
}

function checkRange(value: number, rule: Rule, unit: string): string | undefined {
  if (rule.min !== undefined && value < rule.min) return `must be at least ${rule.min}${unit}`;
  if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.max}${unit}`;
  return undefined;
}

function checkArray(value: readonly unknown[], rule: Rule): string | undefined {
  const count = checkRange(value.length, rule, " items");
  if (count) return count;
  const item: Rule = { type: rule.items, enum: rule.enum, uri: rule.uri };
  for (const [index, element] of value.entries()) {
    const problem = checkValue(element, item);
    if (problem) return `item ${index} ${problem}`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
