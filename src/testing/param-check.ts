import type { BadRequestCategory, Refusal } from "./envelope.js";
import type { FakeParamSpec } from "./models.js";

/** A checked submit body, or why the API refuses it with a 400 (category and detail, as the docs write them). */
export type SubmitCheck = { input: Record<string, unknown> } | { refusal: Refusal };

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

/** What is wrong with a value: the category, and the text after `parameter 'name'` (`"must be a string"`). */
interface Problem {
  category: BadRequestCategory;
  text: string;
}

/** The size templates a `format` alternative may be; any other alternative is a literal preset such as `2K`. */
const SIZE_TEMPLATES: Readonly<Record<string, RegExp>> = {
  WIDTHxHEIGHT: /^[1-9]\d*x[1-9]\d*$/,
  "WIDTH*HEIGHT": /^[1-9]\d*\*[1-9]\d*$/,
};

const SIZE_EXAMPLES: Readonly<Record<string, string>> = { WIDTHxHEIGHT: "2048x2048", "WIDTH*HEIGHT": "1024*1024" };

/**
 * Checks a submit body the way the API does, answering the first problem in
 * the docs' categories (`Missing required parameter: parameter 'prompt' is required`,
 * `Invalid format: ...`, `Value out of range: ...`, `Invalid parameters: ...`).
 * The body must be a JSON object. With `params` (a known model): every required
 * parameter present (a blank string counts as missing), at least one of the
 * model's required alternatives (`requiredAlternative`) present, and each given
 * one of its type, in its enum, within its range (string length, number value,
 * array length), in its `format` (size templates `WIDTHxHEIGHT` / `WIDTH*HEIGHT`
 * or literal presets, `|`-separated), an http(s) URL where `uri` says so; array
 * items are checked against `items`, and an enum or `uri` on an array applies to
 * its items. Unlisted fields pass. Without `params`: `prompt`, when given, must
 * be a string, and is required when `promptRequired`.
 */
export function checkSubmitBody(body: unknown, params: readonly FakeParamSpec[] | undefined, promptRequired: boolean): SubmitCheck {
  if (!isObject(body)) return { refusal: { category: "Invalid format", detail: "request body must be a JSON object" } };
  const rules: ReadonlyArray<Rule & { name: string; required?: boolean }> = params ?? [
    { name: "prompt", type: "string", required: promptRequired },
  ];
  for (const rule of rules) {
    const value = body[rule.name];
    if (isMissing(value)) {
      if (rule.required) return { refusal: { category: "Missing required parameter", detail: `parameter '${rule.name}' is required` } };
      if (value === undefined || value === null) continue;
    }
    const problem = checkValue(value, rule);
    if (problem) return { refusal: { category: problem.category, detail: `parameter '${rule.name}' ${problem.text}` } };
  }
  const alternatives = (params ?? []).filter((spec) => spec.requiredAlternative).map((spec) => spec.name);
  if (alternatives.length > 0 && alternatives.every((name) => isMissing(body[name]))) {
    const names = alternatives.map((name) => `'${name}'`);
    return {
      refusal: {
        category: "Missing required parameter",
        detail: `one of parameters ${names.slice(0, -1).join(", ")} or ${names.at(-1)} is required`,
      },
    };
  }
  return { input: body };
}

/** Absent, null or a blank string: what a required parameter may not be. */
function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** A value as a message shows it after `got`: a string quoted (and cut at 40 characters), anything else as JSON. */
function shown(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value) ?? String(value);
  return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
}

/** Why `value` breaks `rule`, or undefined when it holds. */
function checkValue(value: unknown, rule: Rule): Problem | undefined {
  const typeProblem = checkType(value, rule.type);
  if (typeProblem) return { category: "Invalid parameters", text: typeProblem };
  if (Array.isArray(value)) return checkArray(value, rule);
  if (rule.enum && !rule.enum.includes(value)) {
    return { category: "Invalid parameters", text: `must be one of ${rule.enum.map(String).join(", ")}, got ${shown(value)}` };
  }
  if (typeof value === "string") return checkString(value, rule);
  if (typeof value === "number") return checkRange(value, rule, `must be ${rangeText(rule)}, got ${value}`);
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

function checkString(value: string, rule: Rule): Problem | undefined {
  const length = checkRange(value.length, rule, `must be ${rangeText(rule)} characters long, got ${value.length}`);
  if (length) return length;
  if (rule.format !== undefined && !matchesFormat(value, rule.format)) {
    return { category: "Invalid format", text: `${formatText(rule.format)}, got ${shown(value)}` };
  }
  if (rule.uri === true && !/^https?:\/\/\S+$/i.test(value)) return { category: "Invalid format", text: "must be an http(s) URL" };
  return undefined;
}

/** True when `value` matches one of the `|`-separated alternatives of `format`. */
function matchesFormat(value: string, format: string): boolean {
  return format.split("|").some((alternative) => {
    const template = SIZE_TEMPLATES[alternative.trim()];
    return template ? template.test(value) : value === alternative.trim();
  });
}

/** `must be in format 'WIDTHxHEIGHT' (e.g. '2048x2048')`, `must be in format '1K', '2K' or 'WIDTH*HEIGHT' (...)`. */
function formatText(format: string): string {
  const alternatives = format.split("|").map((alternative) => `'${alternative.trim()}'`);
  const example = format
    .split("|")
    .map((alternative) => SIZE_EXAMPLES[alternative.trim()])
    .find((found) => found !== undefined);
  const forms = alternatives.length === 1 ? alternatives[0] : `${alternatives.slice(0, -1).join(", ")} or ${alternatives.at(-1)}`;
  return `must be in format ${forms}${example ? ` (e.g. '${example}')` : ""}`;
}

/** `between 2 and 15`, `at least 1`, `at most 14`. */
function rangeText(rule: Rule): string {
  if (rule.min !== undefined && rule.max !== undefined) return `between ${rule.min} and ${rule.max}`;
  return rule.min !== undefined ? `at least ${rule.min}` : `at most ${rule.max}`;
}

/** A `Value out of range` problem with `text` when `value` is outside the rule's bounds. */
function checkRange(value: number, rule: Rule, text: string): Problem | undefined {
  const outside = (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
  return outside ? { category: "Value out of range", text } : undefined;
}

function checkArray(value: readonly unknown[], rule: Rule): Problem | undefined {
  const count = checkRange(value.length, rule, `must have ${rangeText(rule)} items, got ${value.length}`);
  if (count) return count;
  const item: Rule = { type: rule.items, enum: rule.enum, uri: rule.uri };
  for (const [index, element] of value.entries()) {
    const problem = checkValue(element, item);
    if (problem) return { category: problem.category, text: `item ${index} ${problem.text}` };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
