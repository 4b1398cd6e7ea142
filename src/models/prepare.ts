/**
 * Prepares a submit: picks the model (the namespace's default when the input
 * names none), turns a doc spelling into the real id, refuses a model that
 * belongs to another namespace, and checks the body — against the model's own
 * parameters when the catalog knows them, else only for what is surely wrong.
 * Loaded lazily, on the first submit, as the one chunk a first submit needs: it
 * also carries the task reader (`parseTaskData`), which reads the task's answers
 * once it exists. The catalog data it needs loads with it, one model family at a
 * time (load-families.ts): a submit in a namespace loads only that namespace's
 * families, unless its model is not among them.
 */
import { type NotFoundError, ValidationError, type ValidationIssue } from "../core/errors.js";
import { API_TYPES, type Namespace, NAMESPACES, defaultModels } from "./catalog.js";
import { addedEntries, lookupModel, paramsOf } from "./catalog-table.js";
import { describeChoices, describeValue } from "./describe.js";
import { familiesOf, loadFamilies } from "./load-families.js";
import { looseIssues } from "./loose-checks.js";
import { classifyMediaString, readsLocalPaths } from "./media-value.js";
import type { ModelEntry } from "./model-codec.js";
import { checkParams } from "./schema.js";
import { openLocalPaths } from "./local-file.js";
import { nearestModels, unknownFieldIssues } from "./suggestions.js";

export { parseTaskData } from "../core/task-reader.js";
export type { ModelEntry } from "./model-codec.js";
export type { ParamSpec } from "./param-codec.js";

/**
 * The catalog entry of a model, by its real slug or its doc spelling, with
 * every family loaded; `undefined` for a model the catalog does not know.
 */
export async function loadModelEntry(slugOrDocsSlug: string): Promise<ModelEntry | undefined> {
  await loadFamilies();
  return lookupModel(slugOrDocsSlug);
}

/**
 * The slug of a model the API names by its id alone (a task's `model_id`, e.g.
 * `seedream-4.5-t2i`), when exactly one catalog model has that id. Loads every family.
 */
export async function slugOfModelId(modelId: string): Promise<string | undefined> {
  await loadFamilies();
  const matches = addedEntries().filter((entry) => entry.slug.endsWith(`/${modelId}`));
  return matches.length === 1 ? matches[0]?.slug : undefined;
}

/**
 * The entry of `model`: looked up among the families of `namespace` first
 * (loading only those), then, when it is not there (an unknown model, or one of
 * another namespace, whose message must name the right one) or there is no
 * namespace (an unknown `client.run` type), among every family.
 */
async function entryOf(model: string, namespace: Namespace | undefined): Promise<ModelEntry | undefined> {
  if (namespace !== undefined) {
    await loadFamilies(familiesOf(namespace));
    const entry = lookupModel(model);
    if (entry) return entry;
  }
  return loadModelEntry(model);
}

/** `provider/model_id`, e.g. `bytedance/seedream-4.5-t2i`. */
const SLUG = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/**
 * Adds the nearest known slugs to the 404 of a submit to `slug` ("did you mean
 * bytedance/seedream-4.5-t2i?"), when there are any. Returns the error.
 */
export async function explainUnknownModel<E extends NotFoundError>(error: E, slug: string): Promise<E> {
  const near = await nearestModels(slug);
  if (near.length > 0) error.message = `${error.message}. Did you mean ${describeChoices(near)}?`;
  return error;
}

/** A submit ready to send. */
export interface PreparedInput {
  /** The real slug to submit to (dots kept). */
  model: string;
  /**
   * The body to post: the input's fields without `model`, as given, except
   * that a local file path in a known model's file field is replaced by the
   * file (a `File` read lazily from disk), which the SDK uploads like any Blob.
   */
  body: Record<string, unknown>;
  /** The catalog entry of the model, or `undefined` for a model the catalog does not know. */
  entry: ModelEntry | undefined;
  /** The doc spelling the caller used (`bytedance/seedream-4-5-t2i`), when it was turned into the real slug. */
  spelledAs?: string;
  /**
   * The fields a known model does not take, which `client.run(type, slug, body)`
   * (the `slug` option) sends as given: each with the nearest field it does take, if any.
   */
  unknownFields?: { field: string; suggestion: string | undefined }[];
}

/** Options of {@link prepareInput}. */
export interface PrepareOptions {
  /**
   * The namespace argument is the type a caller passed to `client.run(type, ...)`:
   * a namespace, an API type (`text-to-image`) or any other type. An unknown type
   * has no default model and no namespace check.
   */
  runType?: boolean;
  /**
   * The model, given apart from the input (`client.run(type, slug, body)`): then
   * `input` is the body as it is, a field named `model` included (CosyVoice
   * takes its target voice model so), and fields a known model does not take
   * are sent as given (see {@link PreparedInput.unknownFields}) instead of refused.
   */
  slug?: string;
}

const LONG_NAMES: Readonly<Record<string, Namespace>> = Object.fromEntries(
  Object.entries(API_TYPES).map(([namespace, type]) => [type, namespace as Namespace]),
);

function isNamespace(value: string): value is Namespace {
  return (NAMESPACES as readonly string[]).includes(value);
}

/** The namespace a name stands for: itself, an API type's namespace, `i2v` for the `r2v` family. */
function namespaceOf(name: string): Namespace | undefined {
  if (isNamespace(name)) return name;
  if (Object.hasOwn(LONG_NAMES, name)) return LONG_NAMES[name];
  return name === "r2v" ? "i2v" : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** How to submit a model of `entry`: `client.i2v.submit()`, or both namespaces of an expansion model. */
function whereToSubmit(entry: ModelEntry): string {
  return entry.namespaces.map((namespace) => `client.${namespace}.submit()`).join(" or ");
}

function familyName(entry: ModelEntry): string {
  if (entry.family === "expansion") return "an image expansion";
  if (entry.family === "r2v") return "a reference-to-video (image-to-video)";
  return /^[aeiou]/.test(entry.type) ? `an ${entry.type}` : `a ${entry.type}`;
}

/**
 * Checks a submit input and resolves with the real slug and the body to send.
 * Rejects with a {@link ValidationError} (nothing is sent) when:
 * - the input is not a plain object;
 * - it names no model and `namespace` has no default (an unknown `client.run` type);
 * - `model` is not `provider/model_id`;
 * - the model is known but belongs to another namespace (the message names the right one);
 * - a known model's parameters are wrong (required, types, enums, ranges, formats);
 * - a known model's file field holds a string that is neither a URL (`https:`,
 *   `http:`, `data:`), nor raw Base64 where the model takes it, nor — where
 *   there is a file system (Node, Deno, Bun) — the path of a readable file;
 * - a known model is given a field it does not take (the message names its
 *   fields and the nearest one), unless `options.slug` is given (`client.run`);
 * - for any model: `prompt` is not a string, or a number anywhere is NaN or infinite.
 *
 * A model the catalog does not know passes every other field through untouched.
 * Binary values are accepted where a field takes a file (and anywhere in an
 * unknown model's input), and a local path is opened as a file; the caller
 * uploads them afterwards.
 *
 * @example
 * ```ts
 * await prepareInput("t2i", { model: "bytedance/seedream-4-5-t2i", prompt: "a lighthouse", size: "2048x2048" });
 * // { model: "bytedance/seedream-4.5-t2i", body: { prompt: "a lighthouse", size: "2048x2048" },
 * //   entry: {...}, spelledAs: "bytedance/seedream-4-5-t2i" }
 * ```
 */
export async function prepareInput(namespace: string, input: unknown, options: PrepareOptions = {}): Promise<PreparedInput> {
  const subject = `${namespace} input`;
  const fail = (issues: ValidationIssue[]): never => {
    throw new ValidationError(issues, subject);
  };
  const resolved = namespaceOf(namespace);
  if (!resolved && !options.runType) {
    fail([{ path: "", message: `unknown namespace ${JSON.stringify(namespace)}; expected one of ${NAMESPACES.join(", ")}` }]);
  }
  if (!isPlainObject(input)) {
    return fail([{ path: "", message: `must be an object of parameters (got ${describeValue(input)})` }]);
  }
  const { model: field, ...rest } = input;
  const [requested, body] = options.slug === undefined ? [field, rest] : [options.slug, input];
  let model: string;
  if (requested === undefined) {
    const hasDefault = isNamespace(namespace) || Object.hasOwn(LONG_NAMES, namespace);
    const fallback = resolved && hasDefault ? defaultModels[resolved] : undefined;
    if (fallback === undefined) {
      return fail([{ path: "model", message: `is required: type ${JSON.stringify(namespace)} has no default model` }]);
    }
    model = fallback;
  } else if (typeof requested !== "string" || !SLUG.test(requested)) {
    return fail([
      {
        path: "model",
        message: `must be a model slug "provider/model_id", e.g. "bytedance/seedream-4.5-t2i" (got ${describeValue(requested)})`,
      },
    ]);
  } else {
    model = requested;
  }

  const entry = await entryOf(model, resolved);
  const prepared: PreparedInput = { model: entry?.slug ?? model, body, entry };
  if (entry && entry.slug !== model) prepared.spelledAs = model;
  if (entry && resolved && !entry.namespaces.includes(resolved)) {
    fail([
      {
        path: "model",
        message: `${JSON.stringify(entry.slug)} is ${familyName(entry)} model: submit it with ${whereToSubmit(entry)}`,
      },
    ]);
  }

  const specs = entry ? paramsOf(entry.slug) : undefined;
  if (!specs) {
    const issues = looseIssues(body, { checkPrompt: true });
    return issues.length > 0 ? fail(issues) : prepared;
  }
  const issues = checkParams(prepared.model, specs, body);
  const names = specs.map((spec) => spec.name);
  const unknown = Object.keys(body).filter((field) => body[field] !== undefined && !names.includes(field));
  if (unknown.length > 0) {
    const { fields, issues: refusals } = unknownFieldIssues(prepared.model, names, unknown);
    if (options.slug === undefined) issues.push(...refusals);
    else prepared.unknownFields = fields;
  }
  const reported = new Set(issues.map((issue) => issue.path));
  const checkPrompt = !names.includes("prompt");
  for (const issue of looseIssues(body, { checkPrompt })) if (!reported.has(issue.path)) issues.push(issue);
  if (readsLocalPaths && specs.some((spec) => spec.media && [body[spec.name]].flat().some((value) => typeof value === "string" && classifyMediaString(value, spec) === "path"))) {
    // A local path in a file field (Node, Deno, Bun): opened by a chunk a browser never loads.
    const opened = await openLocalPaths(specs, body, new Set(issues.map((issue) => issue.path)));
    issues.push(...opened.issues);
    prepared.body = opened.body;
  }
  if (issues.length > 0) fail(issues);
  return prepared;
}
