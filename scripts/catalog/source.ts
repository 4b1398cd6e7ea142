/**
 * Reads and checks the catalog data (`models.json` and `params.json`, see the
 * README beside them) into normalized rows. Every problem found is collected
 * and thrown as one error, so a broken input fails loudly and completely.
 */
import { type ApiType, type Family, familyOf, typeOfFamily } from "./taxonomy.js";

/** `provider/model_id`: lowercase provider, model id without spaces, quotes or further slashes. */
export const SLUG_PATTERN = /^([a-z0-9][a-z0-9-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

/** One entry of `models.json`, as the generator uses it (unknown fields are ignored). */
export interface SourceModel {
  slug: string;
  /** The doc page spelling, where it differs; it may name another provider (`skyreels/...` for `skywork/...`). */
  docsSlug?: string | undefined;
  type: string;
  short?: string | undefined;
  name?: string | undefined;
  verified: boolean;
  status?: string | undefined;
  docsUrl?: string | undefined;
  evidence?: string | undefined;
}

/** One body parameter in `params.json`. */
export interface SourceParam {
  name: string;
  /** `string`, `string(uri)`, `integer`, `number`, `boolean`, `object`, `array<string>`, `array<string(uri)>`, `array<object…>`. */
  type: string;
  required?: boolean | undefined;
  enum?: (string | number)[] | undefined;
  min?: number | undefined;
  max?: number | undefined;
  default?: unknown;
  format?: string | undefined;
  description?: string | undefined;
  inferred?: boolean | undefined;
}

/** One model's entry in `params.json`. */
export interface SourceParams {
  path?: string | null | undefined;
  params: SourceParam[];
  evidence?: string | undefined;
  note?: string | undefined;
  inferred?: boolean | undefined;
  /** `"name:kind"` strings naming the fields that take a file. */
  mediaInputs?: string[] | undefined;
  sizeFormat?: string | undefined;
  slugVerified?: boolean | undefined;
}

/** A catalog model after checking: its family resolved, `retired` read from its status. */
export interface CatalogModel {
  slug: string;
  provider: string;
  modelId: string;
  /** The doc page spelling, where it differs from `slug`, possibly under another provider. */
  docsSlug: string | undefined;
  name: string | undefined;
  type: ApiType;
  family: Family;
  verified: boolean;
  retired: boolean;
  docsUrl: string | undefined;
}

/** Thrown with every problem of an input, one per line. */
export class CatalogInputError extends Error {
  constructor(
    subject: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${subject} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "CatalogInputError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(row: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = row[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    problems.push(`${where}: ${key} must be a string`);
    return undefined;
  }
  return value;
}

/** True when a model's status says it is probably retired. */
export function isRetiredStatus(status: string | undefined): boolean {
  return status !== undefined && /\bretired\b/i.test(status);
}

/**
 * Checks `models.json` (an array, or `{ models: [...] }`) and returns its models
 * sorted by slug. Throws {@link CatalogInputError} listing every problem.
 */
export function readModels(input: unknown): CatalogModel[] {
  const rows = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input.models) ? input.models : undefined;
  if (!rows) throw new CatalogInputError("models.json", ["must be an array of models or { models: [...] }"]);
  const problems: string[] = [];
  const models: CatalogModel[] = [];
  const seen = new Map<string, string>();
  rows.forEach((raw: unknown, index) => {
    const where = `models[${index}]`;
    if (!isRecord(raw)) {
      problems.push(`${where}: not an object`);
      return;
    }
    const slug = raw.slug;
    const match = typeof slug === "string" ? SLUG_PATTERN.exec(slug) : null;
    if (typeof slug !== "string" || !match) {
      problems.push(`${where}: slug ${JSON.stringify(slug)} is not "provider/model_id"`);
      return;
    }
    const at = `${where} (${slug})`;
    const provider = match[1] ?? "";
    const modelId = match[2] ?? "";
    const docsSlug = optionalString(raw, "docsSlug", at, problems);
    if (docsSlug !== undefined && !SLUG_PATTERN.test(docsSlug)) {
      problems.push(`${at}: docsSlug ${JSON.stringify(docsSlug)} is not "provider/model_id"`);
    }
    const type = raw.type;
    const short = optionalString(raw, "short", at, problems);
    if (typeof type !== "string") {
      problems.push(`${at}: type must be a string`);
      return;
    }
    const family = familyOf(modelId, type, short);
    if (typeof family !== "string") {
      problems.push(`${at}: ${family.problem}`);
      return;
    }
    if (typeof raw.verified !== "boolean") problems.push(`${at}: verified must be true or false`);
    const status = optionalString(raw, "status", at, problems);
    const model: CatalogModel = {
      slug,
      provider,
      modelId,
      docsSlug: docsSlug === slug ? undefined : docsSlug,
      name: optionalString(raw, "name", at, problems),
      type: typeOfFamily(family),
      family,
      verified: raw.verified === true,
      retired: isRetiredStatus(status),
      docsUrl: optionalString(raw, "docsUrl", at, problems),
    };
    for (const spelling of [slug, model.docsSlug]) {
      if (spelling === undefined) continue;
      const owner = seen.get(spelling);
      if (owner === slug) problems.push(`${at}: duplicate slug`);
      else if (owner !== undefined) problems.push(`${at}: ${spelling} is already used by ${owner}`);
      else seen.set(spelling, slug);
    }
    models.push(model);
  });
  if (models.length === 0 && problems.length === 0) problems.push("the catalog is empty");
  if (problems.length > 0) throw new CatalogInputError("models.json", problems);
  return models.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

const PARAM_TYPE = /^(?:string|string\(uri\)|integer|number|boolean|object|array<(?:string|string\(uri\)|object(?:\{[^}]*\})?)>)$/;

/**
 * Checks `params.json` against the models: every key a known real slug, every
 * parameter well-formed. Returns the entries keyed by slug. Throws
 * {@link CatalogInputError} listing every problem.
 */
export function readParams(input: unknown, models: readonly CatalogModel[]): Map<string, SourceParams> {
  if (!isRecord(input)) throw new CatalogInputError("params.json", ["must be an object keyed by model slug"]);
  const known = new Set(models.map((model) => model.slug));
  const problems: string[] = [];
  const out = new Map<string, SourceParams>();
  for (const slug of Object.keys(input).sort()) {
    const raw = input[slug];
    if (!known.has(slug)) problems.push(`${slug}: not a real slug of models.json`);
    if (!isRecord(raw) || !Array.isArray(raw.params)) {
      problems.push(`${slug}: must be an object with a params array`);
      continue;
    }
    const names = new Set<string>();
    raw.params.forEach((param: unknown, index) => {
      const where = `${slug} params[${index}]`;
      if (!isRecord(param) || typeof param.name !== "string" || !/^[A-Za-z_][\w-]*$/.test(param.name)) {
        problems.push(`${where}: needs a name made of letters, digits, _ or -`);
        return;
      }
      if (names.has(param.name)) problems.push(`${where}: duplicate parameter ${param.name}`);
      names.add(param.name);
      if (typeof param.type !== "string" || !PARAM_TYPE.test(param.type)) {
        problems.push(`${where} (${param.name}): unknown type ${JSON.stringify(param.type)}`);
      }
      for (const key of ["min", "max"] as const) {
        if (param[key] !== undefined && (typeof param[key] !== "number" || !Number.isFinite(param[key]))) {
          problems.push(`${where} (${param.name}): ${key} must be a finite number`);
        }
      }
      const values = param.enum;
      if (values !== undefined) {
        const numeric = param.type === "integer" || param.type === "number";
        if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === (numeric ? "number" : "string"))) {
          problems.push(`${where} (${param.name}): enum must be a non-empty array of ${numeric ? "numbers" : "strings"}`);
        }
      }
      for (const key of ["required", "inferred"] as const) {
        if (param[key] !== undefined && typeof param[key] !== "boolean") problems.push(`${where}: ${key} must be a boolean`);
      }
      for (const key of ["format", "description"] as const) {
        if (param[key] !== undefined && typeof param[key] !== "string") problems.push(`${where}: ${key} must be a string`);
      }
    });
    if (raw.mediaInputs !== undefined && (!Array.isArray(raw.mediaInputs) || !raw.mediaInputs.every((v) => typeof v === "string"))) {
      problems.push(`${slug}: mediaInputs must be an array of strings`);
    }
    out.set(slug, raw as unknown as SourceParams);
  }
  if (problems.length > 0) throw new CatalogInputError("params.json", problems);
  return out;
}
