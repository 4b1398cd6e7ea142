/**
 * Compiles a model's {@link ParamSpec}s into a `zod/mini` schema (once per model,
 * then cached) and checks a body against it. The schema is loose: fields it does
 * not know pass through. Each issue names the field and what it expects.
 */
import * as z from "zod/mini";
import type { ValidationIssue } from "../core/errors.js";
import { isBinary } from "./binary.js";
import { describeChoices, describeValue } from "./describe.js";
import { classifyMediaString, mediaMessage } from "./media-value.js";
import type { ParamSpec } from "./param-codec.js";

type Schema = z.ZodMiniType;

/** Size templates: a format part that is not one of these is a literal preset. */
const TEMPLATES: Readonly<Record<string, { pattern: RegExp; example: string }>> = {
  WIDTHxHEIGHT: { pattern: /^[1-9]\d*x[1-9]\d*$/, example: "2048x2048" },
  "WIDTH*HEIGHT": { pattern: /^[1-9]\d*\*[1-9]\d*$/, example: "1024*1024" },
};

function typeError(expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? "is required" : `must be ${expected} (got ${describeValue(issue.input)})`;
}

/** A check that only looks at values of one JS type, leaving type errors to the base schema. */
function refineWhen<T>(guard: (value: unknown) => value is T, ok: (value: T) => boolean, message: (value: T) => string) {
  return z.refine<unknown>((value) => !guard(value) || ok(value), {
    error: (issue) => message(issue.input as T),
  });
}

const isString = (value: unknown): value is string => typeof value === "string";
const isNumber = (value: unknown): value is number => typeof value === "number";
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

function within(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** `"1 to 9 items"`, `"at least 1 character"` ... */
function rangeText(min: number | undefined, max: number | undefined, unit: string): string {
  const units = (n: number) => (unit ? ` ${unit}${n === 1 ? "" : "s"}` : "");
  if (min !== undefined && max !== undefined) return unit ? `${min} to ${max}${units(max)}` : `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}${units(min)}`;
  return `at most ${max}${units(max ?? 0)}`;
}

/** True when `value` has the shape `format` describes (see `ParamSpec.format`). */
export function matchesFormat(value: string, format: string): boolean {
  return format.split("|").some((part) => {
    const template = TEMPLATES[part];
    return template ? template.pattern.test(value) : value === part;
  });
}

/** `must be "WIDTHxHEIGHT", e.g. "2048x2048"`. */
export function formatMessage(format: string): string {
  const parts = format.split("|");
  const template = parts.map((part) => TEMPLATES[part]).find((found) => found !== undefined);
  return `must be ${describeChoices(parts)}${template ? `, e.g. "${template.example}"` : ""}`;
}

function stringChecks(spec: ParamSpec): z.core.$ZodCheck<unknown>[] {
  const checks: z.core.$ZodCheck<unknown>[] = [];
  const values = spec.enum;
  if (values) {
    checks.push(
      refineWhen(isString, (v) => values.includes(v), (v) => `must be ${describeChoices(values)} (got ${describeValue(v)})`),
    );
  }
  const { min, max, format } = spec;
  if (min !== undefined || max !== undefined) {
    checks.push(
      refineWhen(
        isString,
        (v) => within(v.length, min, max),
        (v) =>
          min === 1 && max === undefined
            ? "must not be empty"
            : `must be ${rangeText(min, max, "character")} long (got ${v.length})`,
      ),
    );
  }
  if (format && !values) {
    checks.push(refineWhen(isString, (v) => matchesFormat(v, format), (v) => `${formatMessage(format)} (got ${describeValue(v)})`));
  }
  return checks;
}

/** A file field's value: a binary value, or a string it can send or open (see media-value.ts). */
function mediaSchema(spec: ParamSpec): Schema {
  return z.custom<unknown>((value) => isBinary(value) || (typeof value === "string" && classifyMediaString(value, spec) !== "invalid"), {
    error: (issue) => (issue.input === undefined ? "is required" : mediaMessage(spec, issue.input)),
  });
}

/** A string field, or a file field. */
function textSchema(spec: ParamSpec, media: boolean | undefined): Schema {
  const base = media ? mediaSchema(spec) : z.string({ error: typeError("a string") });
  const checks = stringChecks(spec);
  return checks.length > 0 ? base.check(...checks) : base;
}

function numberSchema(spec: ParamSpec): Schema {
  const integer = spec.type === "integer";
  const base = integer && !spec.enum ? z.int({ error: typeError("an integer") }) : z.number({ error: typeError(integer ? "an integer" : "a number") });
  const checks: z.core.$ZodCheck<unknown>[] = [];
  const values = spec.enum;
  if (values) {
    checks.push(
      refineWhen(isNumber, (v) => values.includes(v), (v) => `must be ${describeChoices(values)} (got ${describeValue(v)})`),
    );
  }
  const { min, max } = spec;
  if (min !== undefined || max !== undefined) {
    checks.push(refineWhen(isNumber, (v) => within(v, min, max), (v) => `must be ${rangeText(min, max, "")} (got ${v})`));
  }
  return checks.length > 0 ? base.check(...checks) : base;
}

const isObject = (value: unknown): boolean => typeof value === "object" && value !== null && !Array.isArray(value);

function arraySchema(spec: ParamSpec): Schema {
  const item =
    spec.items === "object"
      ? z.custom<unknown>(isObject, { error: typeError("an object") })
      : spec.items === "string"
        ? textSchema({ name: spec.name, type: "string", base64: spec.base64 }, spec.media)
        : z.unknown();
  const expected = spec.media ? "an array of URLs or files" : spec.items === "string" ? "an array of strings" : "an array";
  const base = z.array(item, { error: typeError(expected) });
  const { min, max } = spec;
  if (min === undefined && max === undefined) return base;
  return base.check(
    refineWhen(isArray, (v) => within(v.length, min, max), (v) => `must have ${rangeText(min, max, "item")} (got ${v.length})`),
  );
}

/** The schema of one field (optional unless required). */
export function fieldSchema(spec: ParamSpec): Schema {
  let schema: Schema;
  switch (spec.type) {
    case "string":
      schema = textSchema(spec, spec.media);
      break;
    case "integer":
    case "number":
      schema = numberSchema(spec);
      break;
    case "boolean":
      schema = z.boolean({ error: typeError("true or false") });
      break;
    case "array":
      schema = arraySchema(spec);
      break;
    case "object":
      schema = z.custom<unknown>(isObject, { error: typeError("an object") });
      break;
    default:
      schema = z.unknown();
  }
  return spec.required ? schema : z.optional(schema);
}

/**
 * The check that a body gives at least one of `names` (a model's required
 * alternatives), run even when other fields have issues, so every problem is reported at once.
 */
function oneOfCheck(names: readonly string[]): z.core.$ZodCheck<unknown> {
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "");
  return z.refine<unknown>((body) => names.some((name) => (body as Record<string, unknown>)[name] !== undefined), {
    error: `${list} is required (give at least one of them)`,
    when: (payload) => isObject(payload.value),
  });
}

const cache = new Map<string, Schema>();

/**
 * The (cached) loose-object schema of a model's parameters; a model with
 * required alternatives (`ParamSpec.requiredAlternative`) also needs one of them.
 */
export function modelSchema(slug: string, specs: readonly ParamSpec[]): Schema {
  let schema = cache.get(slug);
  if (!schema) {
    const shape: Record<string, Schema> = {};
    for (const spec of specs) shape[spec.name] = fieldSchema(spec);
    const alternatives = specs.filter((spec) => spec.requiredAlternative).map((spec) => spec.name);
    schema = alternatives.length > 0 ? z.looseObject(shape).check(oneOfCheck(alternatives)) : z.looseObject(shape);
    cache.set(slug, schema);
  }
  return schema;
}

/** Checks `body` against a model's parameters; one issue per bad field, in field order. */
export function checkParams(slug: string, specs: readonly ParamSpec[], body: Record<string, unknown>): ValidationIssue[] {
  const result = modelSchema(slug, specs).safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}
