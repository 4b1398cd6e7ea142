/**
 * Renders `src/models/inputs.ts`: type-only, a typed input per model with known
 * parameters (TSDoc from the catalog), and the submit typing the namespaces use.
 */
import type { Catalog } from "./build.js";
import { commonFieldDoc } from "./field-docs.js";
import type { DocumentedParam, ModelParams, ParamSpec } from "./params.js";
import type { CatalogModel } from "./source.js";
import { GENERATED_HEADER, LINE_WIDTH, commentSafe, docBlock, literal, propertyKey, unionLines } from "./text.js";

/** Template literal types of the size formats, as source text. */
const TEMPLATE_TYPES: Readonly<Record<string, string>> = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text for the generated file
  WIDTHxHEIGHT: "`${number}x${number}`",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text for the generated file
  "WIDTH*HEIGHT": "`${number}*${number}`",
};

const TEMPLATE_EXAMPLES: Readonly<Record<string, string>> = {
  WIDTHxHEIGHT: "2048x2048",
  "WIDTH*HEIGHT": "1024*1024",
};

/** The TypeScript type of a `format`: template literal types and preset literals. */
export function formatType(format: string): string[] {
  return format.split("|").map((part) => TEMPLATE_TYPES[part] ?? JSON.stringify(part));
}

/** The members of a field's type (joined with ` | `). */
export function fieldTypes(spec: ParamSpec): string[] {
  switch (spec.type) {
    case "string":
      if (spec.enum) return spec.enum.map((value) => literal(value));
      if (spec.media) return ["MediaInput"];
      if (spec.format) return formatType(spec.format);
      return ["string"];
    case "integer":
    case "number":
      return spec.enum ? spec.enum.map((value) => literal(value)) : ["number"];
    case "boolean":
      return ["boolean"];
    case "object":
      return ["Record<string, unknown>"];
    case "array":
      if (spec.items === "object") return ["readonly Record<string, unknown>[]"];
      return [spec.media ? "readonly MediaInput[]" : "readonly string[]"];
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The range sentence of a field, or undefined. */
export function rangeText(spec: ParamSpec): string | undefined {
  const { min, max } = spec;
  if (min === undefined && max === undefined) return undefined;
  const unit = spec.type === "string" ? "character" : spec.type === "array" ? "item" : undefined;
  const amount = (n: number) => (unit ? plural(n, unit) : String(n));
  const whole = spec.type === "integer" ? "A whole number " : "";
  if (min !== undefined && max !== undefined) {
    if (unit) return `${min} to ${amount(max)}.`;
    return whole ? `${whole}from ${min} to ${max}.` : `From ${min} to ${max}.`;
  }
  if (min !== undefined) return whole ? `${whole}of at least ${min}.` : `At least ${amount(min)}.`;
  return whole ? `${whole}of at most ${max}.` : `At most ${amount(max ?? 0)}.`;
}

function sentence(text: string): string {
  const clean = commentSafe(text);
  if (!clean) return clean;
  const first = clean[0]?.toUpperCase() ?? "";
  const rest = clean.slice(1);
  return /[.!?]$/.test(clean) ? `${first}${rest}` : `${first}${rest}.`;
}

/** `` `first_frame` or `first_clip` ``. */
function alternativesText(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : (quoted[0] ?? "");
}

/** The TSDoc paragraphs of one field (`alternatives`: the model's required alternatives, when this is one). */
function fieldDoc(param: DocumentedParam, alternatives: readonly string[]): string[] {
  const { spec } = param;
  const lines: string[] = [];
  const described = param.description ?? commonFieldDoc(spec.name);
  const main = [described ? sentence(described) : "", rangeText(spec) ?? ""];
  if (spec.type === "integer" && !spec.enum && spec.min === undefined && spec.max === undefined) {
    main.push("A whole number.");
  }
  if (spec.format && !spec.enum) {
    const parts = spec.format.split("|").map((part) => `\`${part}\``);
    const template = spec.format.split("|").find((part) => TEMPLATE_EXAMPLES[part] !== undefined);
    const example = template ? `, e.g. \`"${TEMPLATE_EXAMPLES[template]}"\`` : "";
    main.push(`Format ${parts.length > 1 ? `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}` : parts[0]}${example}.`);
  }
  if (spec.media) {
    const each = spec.type === "array" ? "Each a" : "A";
    const base64 = spec.base64 ? ", raw Base64" : "";
    main.push(`${each} URL (https, http or data:)${base64}, a file or, in Node, a local file path: the SDK uploads files and paths first ({@link MediaInput}).`);
  }
  if (param.inferred) main.push("Inferred from the model's family; not seen on its own page.");
  if (alternatives.length > 0) main.push(`${alternativesText(alternatives)}: at least one of them is required.`);
  lines.push(main.filter(Boolean).join(" "));
  if (param.default !== undefined) lines.push(`@defaultValue \`${commentSafe(JSON.stringify(param.default))}\``);
  return lines;
}

/** The TSDoc paragraphs of one model's input. */
function modelDoc(model: CatalogModel | undefined, slug: string, params: ModelParams): string[] {
  const title = model?.name ? `${commentSafe(model.name)}: ${model.type}` : slug;
  const lines = [
    `${title}${model?.family === "r2v" ? " (reference-to-video)" : model?.family === "expansion" ? " (expansion)" : ""}.`,
  ];
  const facts: string[] = [];
  if (model && !model.verified) facts.push("Its id is a best guess (not seen in a real submit URL).");
  if (model?.retired) facts.push("Probably retired: the docs no longer list it.");
  if (params.inferred) facts.push("Most parameters are inferred from the model's family.");
  if (params.note) facts.push(sentence(params.note));
  if (facts.length > 0) lines.push(facts.join(" "));
  for (const skipped of params.skipped) {
    const what = skipped.description ? ` (${commentSafe(skipped.description)})` : "";
    lines.push(`The body field \`${skipped.name}\`${what} is left out: ${skipped.reason}.`);
  }
  if (model?.docsUrl) lines.push(`Docs: ${model.docsUrl}`);
  return lines;
}

/** One field declaration. */
function fieldLines(param: DocumentedParam, alternatives: readonly string[]): string[] {
  const { spec } = param;
  const name = `${propertyKey(spec.name)}${spec.required ? "" : "?"}`;
  const types = fieldTypes(spec);
  const out = docBlock(fieldDoc(param, spec.requiredAlternative ? alternatives : []), "    ");
  const oneLine = `    ${name}: ${types.join(" | ")};`;
  if (oneLine.length <= LINE_WIDTH) out.push(oneLine);
  else {
    out.push(`    ${name}:`);
    out.push(...unionLines(types, "      "));
  }
  return out;
}

/**
 * The end of a model's input: `};`, or, when it has required alternatives, an
 * intersection with the union of one object per alternative that requires it
 * (`} & ({ first_frame: MediaInput } | { first_clip: MediaInput });`), so a
 * body with none of them does not compile.
 */
function closingLines(alternatives: readonly DocumentedParam[]): string[] {
  if (alternatives.length === 0) return ["  };"];
  const members = alternatives.map(({ spec }) => `{ ${propertyKey(spec.name)}: ${fieldTypes(spec).join(" | ")} }`);
  const oneLine = `  } & (${members.join(" | ")});`;
  if (oneLine.length <= LINE_WIDTH) return [oneLine];
  return ["  } & (", ...members.map((member) => `    | ${member}`), "  );"];
}

/** The source of `src/models/inputs.ts`. */
export function renderInputs(catalog: Catalog): string {
  const bySlug = new Map(catalog.models.map((model) => [model.slug, model]));
  const out: string[] = [
    GENERATED_HEADER,
    'import type { DefaultModel, Namespace } from "./catalog.js";',
    "",
    'export type { DefaultModel } from "./catalog.js";',
    "",
    ...docBlock([
      `Typed inputs of the ${catalog.params.size} models whose parameters the catalog knows (type-only: ` +
        "nothing here exists at runtime). Enums are unions, required fields are required, sizes use the " +
        "model's own format, and fields that take a file accept a {@link MediaInput}.",
    ]),
    "",
    ...docBlock([
      "A file for a field that takes one: a URL string (`https:`, `http:` or a `data:` URI; raw Base64 where the " +
        "model's docs allow it), binary data — a Blob or File, an ArrayBuffer, a typed array or Buffer, or a " +
        "ReadableStream — or, in Node, Deno and Bun, the path of a local file (`\"./cat.png\"`). The SDK uploads " +
        "binary data and local files through the media-file API after validation and sends their URLs. Any other " +
        "string is a `ValidationError` before anything is sent.",
    ]),
    "export type MediaInput = string | Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;",
    "",
    "/** The body parameters of each model with a known schema, keyed by real slug (without `model`). */",
    "export interface ModelInputs {",
  ];
  for (const [slug, params] of catalog.params) {
    out.push(...docBlock(modelDoc(bySlug.get(slug), slug, params), "  "));
    if (params.params.length === 0) {
      out.push(`  ${JSON.stringify(slug)}: Record<never, never>;`);
      continue;
    }
    const alternatives = params.params.filter((param) => param.spec.requiredAlternative);
    out.push(`  ${JSON.stringify(slug)}: {`);
    for (const param of params.params) out.push(...fieldLines(param, alternatives.map((alternative) => alternative.spec.name)));
    out.push(...closingLines(alternatives));
  }
  out.push(
    "}",
    "",
    "/** The full input of a typed model: its slug and its parameters. */",
    "export type ModelInput<M extends keyof ModelInputs> = { model: M } & ModelInputs[M];",
    "",
    ...docBlock([
      "The fields, besides `model`, of a model the SDK has no schema for: any fields, passed through untouched " +
        "(only a non-string `prompt` and non-finite numbers are refused).",
    ]),
    "export type UntypedFields = { prompt?: string; [field: string]: unknown };",
    "",
    ...docBlock([
      "The fields of a submit for model `M` in namespace `N`, besides the optional `model`: a typed " +
        "model's own parameters (and a required `model` unless it is the namespace's default), or " +
        "{@link UntypedFields} for any other slug.",
    ]),
    "export type SubmitFields<N extends Namespace, M extends string> = M extends keyof ModelInputs",
    "  ? M extends DefaultModel<N>",
    "    ? ModelInputs[M]",
    "    : { model: M } & ModelInputs[M]",
    "  : UntypedFields;",
    "",
    ...docBlock([
      "What `client[N].submit()` accepts for model `M`: a typed model's own parameters (its `model` may be " +
        "left out when it is the namespace's default), or, for any other slug, any fields (`UntypedFields`).",
      "`M` is inferred from `model` alone (the rest is `NoInfer`, TypeScript 5.4 or later). Declared without " +
        "a default (`submit<M extends ModelSlug<KnownModels[N]>>`), so that an editor completes every known " +
        "slug at `model: \"`; leaving `model` out leaves `M` at that whole constraint, which this type reads " +
        "as the namespace's default model and its input. Naming a model narrows the completions to its fields.",
    ]),
    "export type SubmitInput<N extends Namespace, M extends string> = { model?: M } &",
    "  NoInfer<SubmitFields<N, (string & {}) extends M ? DefaultModel<N> : M>>;",
    "",
  );
  return out.join("\n");
}
