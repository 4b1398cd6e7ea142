/**
 * Renders `src/models/params.ts`: every known model's body parameters as
 * runtime data. The data is written compactly (one short token per parameter,
 * see {@link encodeSpec}) and expanded into {@link ParamSpec} objects when the
 * module loads: the browser's validation chunk carries a few kB less than it
 * would as object literals. Every token is decoded again here and compared with
 * its spec, so the generated decoder can never disagree with the data.
 */
import { isDeepStrictEqual } from "node:util";
import type { Catalog } from "./build.js";
import type { ParamSpec } from "./params.js";
import { GENERATED_HEADER, LINE_WIDTH, compare, docBlock, literal } from "./text.js";

/** The type letter of a spec: its JSON type, and for an array the type of its elements. */
const TYPE_CODES = {
  s: ["string"],
  i: ["integer"],
  n: ["number"],
  b: ["boolean"],
  o: ["object"],
  a: ["array"],
  S: ["array", "string"],
  O: ["array", "object"],
} as const satisfies Record<string, readonly [ParamSpec["type"], ParamSpec["items"]?]>;

type TypeCode = keyof typeof TYPE_CODES;

/** A token: `name:T`, flags `u` `m` `!`, then `{min,max}`, `=enum` and `@format` when present. */
const TOKEN = /^([^:\s]+):([sinboaSO])(u?)(m?)(!?)(?:\{([^,}]*),([^,}]*)\})?(?:=([^@\s]*))?(?:@(\S+))?$/;

function typeCode(spec: ParamSpec): TypeCode {
  for (const [code, [type, items]] of Object.entries(TYPE_CODES) as [TypeCode, readonly [string, string?]][]) {
    if (type === spec.type && items === spec.items) return code;
  }
  throw new Error(`${spec.name}: no type code for ${spec.type}${spec.items ? ` of ${spec.items}` : ""}`);
}

/**
 * One parameter as a token, e.g. `prompt:s!{1,2500}`, `resolution:s=720P,1080P`,
 * `image:Sm!{1,14}`, `size:s@WIDTHxHEIGHT`. Throws when a value cannot be
 * written so (a separator inside a name or an enum value) or would not read back the same.
 */
export function encodeSpec(spec: ParamSpec): string {
  let token = `${spec.name}:${typeCode(spec)}${spec.uri ? "u" : ""}${spec.media ? "m" : ""}${spec.required ? "!" : ""}`;
  if (spec.min !== undefined || spec.max !== undefined) token += `{${spec.min ?? ""},${spec.max ?? ""}}`;
  if (spec.enum) token += `=${spec.enum.join(",")}`;
  if (spec.format !== undefined) token += `@${spec.format}`;
  const decoded = decodeSpec(token);
  if (!isDeepStrictEqual(decoded, { ...spec, ...(spec.enum ? { enum: [...spec.enum] } : {}) })) {
    throw new Error(`${spec.name}: the compact form ${JSON.stringify(token)} does not read back as ${JSON.stringify(spec)}`);
  }
  return token;
}

/** Reads a token back; the same steps as the decoder emitted into params.ts. */
export function decodeSpec(token: string): ParamSpec {
  const match = TOKEN.exec(token);
  if (!match) throw new Error(`unreadable parameter token ${JSON.stringify(token)}`);
  const [, name = "", code = "s", uri, media, required, min, max, values, format] = match;
  const [type, items] = TYPE_CODES[code as TypeCode] as readonly [ParamSpec["type"], ParamSpec["items"]?];
  const spec: ParamSpec = { name, type };
  if (items) spec.items = items;
  if (uri) spec.uri = true;
  if (media) spec.media = true;
  if (required) spec.required = true;
  const numeric = type === "integer" || type === "number";
  if (values !== undefined) spec.enum = values.split(",").map((value) => (numeric ? Number(value) : value));
  if (min) spec.min = Number(min);
  if (max) spec.max = Number(max);
  if (format) spec.format = format;
  return spec;
}

const KEY_ORDER = ["name", "type", "items", "uri", "media", "required", "enum", "min", "max", "format"] as const;

/** A spec as an object literal, for the comment above its token (`{ name: "size", type: "string", format: "WIDTHxHEIGHT" }`). */
export function specLiteral(spec: ParamSpec): string {
  const fields: string[] = [];
  for (const key of KEY_ORDER) {
    const value = spec[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) fields.push(`${key}: [${value.map((v) => literal(v)).join(", ")}]`);
    else fields.push(`${key}: ${typeof value === "boolean" ? String(value) : literal(value as string | number)}`);
  }
  return `{ ${fields.join(", ")} }`;
}

/**
 * A model's tokens as one string literal, continued with `+` on the next lines
 * when it is long, under comments naming the model and spelling out each
 * parameter as an object (comments cost the bundle nothing; they keep the data reviewable).
 */
function modelLines(slug: string, specs: readonly ParamSpec[], indent: string): string[] {
  const tokens = specs.map(encodeSpec);
  const key = indent;
  const lines: string[] = [`${indent}// ${slug}`, ...specs.map((spec) => `${indent}//   ${specLiteral(spec)}`)];
  const first = lines.length;
  let current = "";
  for (const token of tokens) {
    const next = current ? `${current} ${token}` : token;
    const prefix = lines.length === first ? key : `${indent}  `;
    if (current && `${prefix}${JSON.stringify(`${next}`)} +`.length > LINE_WIDTH) {
      lines.push(`${prefix}${JSON.stringify(`${current} `)} +`);
      current = token;
    } else {
      current = next;
    }
  }
  lines.push(`${lines.length === first ? key : `${indent}  `}${JSON.stringify(current)},`);
  return lines;
}

/**
 * The slugs of the models with parameters, in the order entries.ts lists them
 * (sorted), checked to be catalog models: params.ts keys its data by that order.
 */
function paramSlugOrder(catalog: Catalog): string[] {
  const slugs = [...catalog.params.keys()].sort(compare);
  const known = new Set(catalog.models.map((model) => model.slug));
  const strays = slugs.filter((slug) => !known.has(slug));
  if (strays.length > 0) throw new Error(`parameters for models the catalog does not list: ${strays.join(", ")}`);
  return slugs;
}

/** The source of `src/models/params.ts`. */
export function renderParams(catalog: Catalog): string {
  const out: string[] = [
    GENERATED_HEADER,
    'import { paramSlugs } from "./entries.js";',
    "",
    "/**",
    " * The body parameters of every model whose schema the catalog knows, as runtime",
    " * data: the SDK checks a submit against them before sending anything, and the",
    " * fake server (`modellix/testing`) answers a 400 where the real API would.",
    " * Loaded lazily, with the validator; the browser entry does not carry it.",
    " */",
    "",
    "/** One body parameter of a model. */",
    "export interface ParamSpec {",
    "  /** The field name in the JSON body, spelled as the API spells it (`aspectRatio`, `first_frame_image`). */",
    "  name: string;",
    "  /** The JSON type. `integer` is a whole number. */",
    '  type: "string" | "integer" | "number" | "boolean" | "array" | "object";',
    "  /** The element type of an array. */",
    '  items?: "string" | "object";',
    "  /** The string (or each array element) is a URL. */",
    "  uri?: boolean;",
    "  /**",
    "   * The field takes a file: a URL string, or a binary value (Blob, ArrayBuffer,",
    "   * typed array, ReadableStream) that the SDK uploads and replaces by its URL.",
    "   * Applies to each element of an array.",
    "   */",
    "  media?: boolean;",
    "  /** The API refuses a body without it. */",
    "  required?: boolean;",
    "  /** The only values the API accepts (case matters: `720p` is not `720P`). */",
    "  enum?: readonly (string | number)[];",
    "  /** Minimum: characters of a string, value of a number, elements of an array. */",
    "  min?: number;",
    "  /** Maximum: characters of a string, value of a number, elements of an array. */",
    "  max?: number;",
    "  /**",
    "   * The shape of a string value: alternatives separated by `|`, each either a",
    '   * size template — `WIDTHxHEIGHT` (`"2048x2048"`) or `WIDTH*HEIGHT` (`"1024*1024"`),',
    '   * positive integers — or a literal preset (`"1K|2K|WIDTH*HEIGHT"`).',
    "   */",
    "  format?: string;",
    "}",
    "",
    ...docBlock([
      "The parameters of each model marked `+` in entries.ts, in slug order (the comments name them), compactly: " +
        "one token per parameter, separated by spaces (the comments above each spell them out). A token is `name:T`, " +
        "then the flags `u` (a URL), `m` (takes a file) and `!` (required), then `{min,max}`, `=enum` (values " +
        "separated by commas; numbers for integer and number fields) and `@format` when present. `T` is the type: " +
        "`s` string, `i` integer, `n` number, `b` boolean, `o` object, `a` array, `S` array of strings, `O` array " +
        "of objects. Example: `prompt:s!{1,2500} resolution:s=720P,1080P image:Sm!{1,14}`.",
    ]),
    "const DATA: readonly string[] = [",
  ];
  for (const slug of paramSlugOrder(catalog)) {
    const model = catalog.params.get(slug);
    out.push(...modelLines(slug, (model?.params ?? []).map((param) => param.spec), "  "));
  }
  out.push(
    "];",
    "",
    "const TYPES: Readonly<Record<string, readonly [ParamSpec[\"type\"], ParamSpec[\"items\"]?]>> = {",
    ...Object.entries(TYPE_CODES).map(([code, pair]) => `  ${code}: [${pair.map((part) => JSON.stringify(part)).join(", ")}],`),
    "};",
    "",
    `const TOKEN = ${TOKEN.toString()};`,
    "",
    "/** One parameter from its token (see {@link DATA}). */",
    "function decode(token: string): ParamSpec {",
    '  const [, name = "", code = "s", uri, media, required, min, max, values, format] = TOKEN.exec(token) ?? [];',
    '  const [type, items] = TYPES[code] ?? ["string"];',
    "  const spec: ParamSpec = { name, type };",
    "  if (items) spec.items = items;",
    "  if (uri) spec.uri = true;",
    "  if (media) spec.media = true;",
    "  if (required) spec.required = true;",
    '  const numeric = type === "integer" || type === "number";',
    '  if (values !== undefined) spec.enum = values.split(",").map((value) => (numeric ? Number(value) : value));',
    "  if (min) spec.min = Number(min);",
    "  if (max) spec.max = Number(max);",
    "  if (format) spec.format = format;",
    "  return spec;",
    "}",
    "",
    `/** Body parameters of the ${catalog.params.size} models with a known schema, keyed by real slug. */`,
    "export const modelParams: Readonly<Record<string, readonly ParamSpec[]>> = Object.fromEntries(",
    '  paramSlugs().map((slug, index) => [slug, DATA[index]?.split(" ").filter(Boolean).map(decode) ?? []]),',
    ");",
    "",
  );
  return out.join("\n");
}
