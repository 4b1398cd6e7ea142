/** Renders `src/models/params.ts`: every known model's body parameters as runtime data. */
import type { Catalog } from "./build.js";
import type { ParamSpec } from "./params.js";
import { GENERATED_HEADER, LINE_WIDTH, literal, list } from "./text.js";

const KEY_ORDER = ["name", "type", "items", "uri", "media", "required", "enum", "min", "max", "format"] as const;

/** One spec as an object literal, on one line when it fits. */
function specLines(spec: ParamSpec, indent: string): string[] {
  const fields: string[] = [];
  for (const key of KEY_ORDER) {
    const value = spec[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) fields.push(`${key}: [${value.map((v) => literal(v)).join(", ")}]`);
    else fields.push(`${key}: ${typeof value === "boolean" ? String(value) : literal(value as string | number)}`);
  }
  const lines = list(fields, "{ ", " },", indent);
  if (lines.length === 1) return lines;
  // Too long: one field per line, a long enum wrapped on its own.
  const out = [`${indent}{`];
  for (const field of fields) {
    const inner = `${indent}  `;
    const enumMatch = /^enum: \[(.*)\]$/.exec(field);
    if (enumMatch && `${inner}${field},`.length > LINE_WIDTH && spec.enum) {
      out.push(...list(spec.enum.map((v) => literal(v)), "enum: [", "],", inner));
    } else {
      out.push(`${inner}${field},`);
    }
  }
  out.push(`${indent}},`);
  return out;
}

/** The source of `src/models/params.ts`. */
export function renderParams(catalog: Catalog): string {
  const out: string[] = [
    GENERATED_HEADER,
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
    `/** Body parameters of the ${catalog.params.size} models with a known schema, keyed by real slug. */`,
    "export const modelParams: Readonly<Record<string, readonly ParamSpec[]>> = {",
  ];
  for (const [slug, model] of catalog.params) {
    out.push(`  ${JSON.stringify(slug)}: [`);
    for (const param of model.params) out.push(...specLines(param.spec, "    "));
    out.push("  ],");
  }
  out.push("};", "");
  return out.join("\n");
}
