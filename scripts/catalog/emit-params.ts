/**
 * The compact parameter tokens of the family data modules, and
 * `src/models/params.ts`: every known model's body parameters, the full view
 * for Node code. The data is written compactly (one short token per parameter,
 * see {@link encodeSpec}) and expanded into {@link ParamSpec} objects when its
 * family loads: a browser's data chunks carry a few kB less than they would as
 * object literals. The codec is src/models/param-codec.ts, shared with the
 * runtime; every token is decoded again here and compared with its spec.
 */
import { isDeepStrictEqual } from "node:util";
import type { Catalog } from "./build.js";
import { type ParamSpec, TYPE_CODES, decodeParam } from "../../src/models/param-codec.js";
import { GENERATED_HEADER, LINE_WIDTH, compare, docBlock, literal } from "./text.js";

type TypeCode = keyof typeof TYPE_CODES;

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
  let token = `${spec.name}:${typeCode(spec)}${spec.uri ? "u" : ""}${spec.media ? "m" : ""}${spec.base64 ? "b" : ""}${spec.required ? "!" : ""}${spec.requiredAlternative ? "*" : ""}`;
  if (spec.min !== undefined || spec.max !== undefined) token += `{${spec.min ?? ""},${spec.max ?? ""}}`;
  if (spec.enum) token += `=${spec.enum.join(",")}`;
  if (spec.format !== undefined) token += `@${spec.format}`;
  const decoded = decodeParam(token);
  if (!isDeepStrictEqual(decoded, { ...spec, ...(spec.enum ? { enum: [...spec.enum] } : {}) })) {
    throw new Error(`${spec.name}: the compact form ${JSON.stringify(token)} does not read back as ${JSON.stringify(spec)}`);
  }
  return token;
}

const KEY_ORDER = ["name", "type", "items", "uri", "media", "base64", "required", "requiredAlternative", "enum", "min", "max", "format"] as const;

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
export function modelLines(slug: string, specs: readonly ParamSpec[], indent: string): string[] {
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

/** The source of `src/models/params.ts`. */
export function renderParams(catalog: Catalog): string {
  const known = new Set(catalog.models.map((model) => model.slug));
  const strays = [...catalog.params.keys()].filter((slug) => !known.has(slug)).sort(compare);
  if (strays.length > 0) throw new Error(`parameters for models the catalog does not list: ${strays.join(", ")}`);
  return [
    GENERATED_HEADER,
    'import { paramsOf } from "./catalog-table.js";',
    'import { listModelEntries } from "./entries.js";',
    'import type { ParamSpec } from "./param-codec.js";',
    "",
    'export type { ParamSpec } from "./param-codec.js";',
    "",
    ...docBlock([
      `The body parameters of the ${catalog.params.size} models whose schema the catalog knows, keyed by real slug ` +
        "(sorted): the SDK checks a submit against them before sending anything, and the fake server " +
        "(`modellix/testing`) answers a 400 where the real API would. The full view, for Node code: the data lives " +
        "in each family's module (`families/*.ts`), which the browser's submit path loads on demand without this file.",
    ]),
    "export const modelParams: Readonly<Record<string, readonly ParamSpec[]>> = Object.fromEntries(",
    "  listModelEntries().flatMap((entry) => {",
    "    const params = paramsOf(entry.slug);",
    "    return params ? [[entry.slug, params] as const] : [];",
    "  }),",
    ");",
    "",
  ].join("\n");
}
