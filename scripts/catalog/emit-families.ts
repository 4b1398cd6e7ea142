/**
 * Renders the catalog's data one model family at a time: `src/models/families/<family>.ts`
 * holds a family's models (the compact tokens of src/models/model-codec.ts) and the
 * parameters of those whose schema is known (the tokens of src/models/param-codec.ts),
 * and `src/models/families/index.ts` lists the families, where their models may be
 * submitted, and a literal `import()` of each of at least 1 KiB gzip, so a bundler
 * makes such a family a chunk of its own and a browser's submit loads only the
 * families of its namespace; a smaller family is imported statically by the index,
 * into the chunk of the code that loads the families.
 * Every family's tokens are decoded again here and compared with the catalog.
 */
import { isDeepStrictEqual } from "node:util";
import { gzipSync } from "node:zlib";
import { transformSync } from "esbuild";
import { decodeModels } from "../../src/models/model-codec.js";
import type { Catalog } from "./build.js";
import { familyGroups } from "./emit-entries.js";
import { modelLines } from "./emit-params.js";
import type { CatalogModel } from "./source.js";
import { FAMILIES, type Family, NAMESPACE_DOCS, namespaceOfType, namespacesOf, typeOfFamily } from "./taxonomy.js";
import { GENERATED_HEADER, docBlock } from "./text.js";

/** The path of a family's data module, relative to the repository root. */
export function familyFile(family: Family): `src/models/families/${Family}.ts` {
  return `src/models/families/${family}.ts`;
}

/** The path of the families' index, relative to the repository root. */
export const FAMILY_INDEX = "src/models/families/index.ts" as const;

/** What a family's models are, for TSDoc. */
function familyDoc(family: Family): string {
  if (family === "r2v") return "Reference-to-video (the API types them image-to-video; submitted with `client.i2v`)";
  if (family === "expansion") return "Image expansion (outpainting; image-to-image, submitted with `client.expansion` or `client.i2i`)";
  return NAMESPACE_DOCS[family];
}

/** The catalog's models of each family, in slug order. */
export function modelsByFamily(catalog: Catalog): Map<Family, CatalogModel[]> {
  const byFamily = new Map<Family, CatalogModel[]>(FAMILIES.map((family) => [family, []]));
  for (const model of catalog.models) byFamily.get(model.family)?.push(model);
  return byFamily;
}

/** Throws unless the groups decode, with the runtime's codec, to exactly `models` and their parameter flags. */
function checkRoundTrip(family: Family, models: readonly CatalogModel[], groups: readonly string[], hasParams: (slug: string) => boolean): void {
  const decoded: object[] = [];
  decodeModels(family, typeOfFamily(family), namespacesOf(family), groups, (entry, flagged) => decoded.push({ ...entry, flagged }));
  const expected = models.map((model) => ({
    slug: model.slug,
    ...(model.docsSlug === undefined ? {} : { docsSlug: model.docsSlug }),
    type: model.type,
    family,
    namespaces: namespacesOf(family),
    verified: model.verified,
    ...(model.retired ? { retired: true } : {}),
    flagged: hasParams(model.slug),
  }));
  if (!isDeepStrictEqual(decoded, expected)) {
    throw new Error(`family ${family}: the compact model tokens do not read back as the catalog's models`);
  }
}

/** The source of `src/models/families/<family>.ts`. */
export function renderFamily(catalog: Catalog, family: Family, models: readonly CatalogModel[]): string {
  const hasParams = (slug: string) => catalog.params.has(slug);
  const groups = familyGroups(models, hasParams, "  ");
  checkRoundTrip(family, models, groups, hasParams);
  const withParams = models.filter((model) => hasParams(model.slug));
  const out: string[] = [
    GENERATED_HEADER,
    "",
    ...docBlock([
      `${familyDoc(family)}: the ${models.length} models of the catalog's family \`${family}\`, ${withParams.length} of them ` +
        "with known body parameters. Loaded on demand, when a submit needs this family (see `../load-families.ts`), " +
        "or with every family by the full view (`../entries.ts`).",
    ]),
    "",
    ...docBlock([
      "The models, compactly: space-separated tokens, each `id` then flags (`?` not verified, `~` retired, `+` " +
        "parameters known (`PARAMS`), `^` doc spelling = id with dots turned into dashes, `%` = the same with a dash " +
        "after the leading letters, as in `wan-2-6-t2v`) then `=docsId` for any other doc spelling, or " +
        "`=provider/docsId` for one under another provider. A token `provider/id` starts a provider; the tokens " +
        "after it share it. Read by `../model-codec.ts`.",
    ]),
    `export const MODELS: readonly string[] = [${groups.length === 0 ? "];" : ""}`,
    ...(groups.length === 0 ? [] : [...groups.map((group) => `  ${JSON.stringify(group)},`), "];"]),
    "",
    ...docBlock([
      "The parameters of each model marked `+` in `MODELS`, in that order (the comments name them), compactly: one " +
        "token per parameter, separated by spaces (the comments above each spell them out). A token is `name:T`, " +
        "then the flags `u` (a URL), `m` (takes a file), `!` (required) and `*` (one of the alternatives of which " +
        "a body needs at least one), then `{min,max}`, `=enum` (values " +
        "separated by commas; numbers for integer and number fields) and `@format` when present. `T` is the type: " +
        "`s` string, `i` integer, `n` number, `b` boolean, `o` object, `a` array, `S` array of strings, `O` array " +
        "of objects. Example: `prompt:s!{1,2500} resolution:s=720P,1080P image:Sm!{1,14}`. Read by `../param-codec.ts`.",
    ]),
    `export const PARAMS: readonly string[] = [${withParams.length === 0 ? "];" : ""}`,
  ];
  if (withParams.length > 0) {
    for (const model of withParams) {
      out.push(...modelLines(model.slug, (catalog.params.get(model.slug)?.params ?? []).map((param) => param.spec), "  "));
    }
    out.push("];");
  }
  out.push("");
  return out.join("\n");
}

/** The smallest family, in bytes of minified and gzipped code, that is worth a chunk of its own: 1 KiB. */
export const MIN_FAMILY_CHUNK_BYTES = 1024;

/** How many bytes a family's module weighs in a browser bundle: minified by esbuild, then gzipped. */
export function familyChunkBytes(source: string): number {
  return gzipSync(transformSync(source, { loader: "ts", minify: true, format: "esm" }).code, { level: 9 }).byteLength;
}

/**
 * The source of `src/models/families/index.ts`. `sources` are the families' own
 * modules: a family below {@link MIN_FAMILY_CHUNK_BYTES} is imported statically.
 */
export function renderFamilyIndex(sources: Readonly<Record<Family, string>>): string {
  const inlined = FAMILIES.filter((family) => familyChunkBytes(sources[family]) < MIN_FAMILY_CHUNK_BYTES);
  return [
    GENERATED_HEADER,
    'import type { API_TYPES, Namespace } from "../catalog.js";',
    ...inlined.map((family) => `import * as ${family} from ${JSON.stringify(`./${family}.js`)};`),
    "",
    ...docBlock([
      "A model family: the catalog's short code (one per API type, plus `r2v` for the reference-to-video " +
        "models, which the API types as image-to-video) or `expansion` for the image-expansion models " +
        "(image-to-image).",
    ]),
    `export type Family = ${FAMILIES.map((family) => JSON.stringify(family)).join(" | ")};`,
    "",
    "/** A family's data module (`./t2i.ts`, ...): its models and the parameters of those marked `+`. */",
    "export interface FamilyData {",
    "  /** The models, compactly (see `../model-codec.ts`). */",
    "  readonly MODELS: readonly string[];",
    "  /** The parameters of each model marked `+` in `MODELS`, in that order, compactly (see `../param-codec.ts`). */",
    "  readonly PARAMS: readonly string[];",
    "}",
    "",
    ...docBlock([
      "Each family's API type, as the namespace whose type it is (`API_TYPES[namespace]`; `i2v` for `r2v`, `i2i` " +
        "for `expansion`), and the namespaces its models may be submitted in, their own first.",
    ]),
    "export const FAMILIES: Readonly<Record<Family, readonly [keyof typeof API_TYPES, readonly Namespace[]]>> = {",
    ...FAMILIES.map(
      (family) =>
        `  ${family}: [${JSON.stringify(namespaceOfType(typeOfFamily(family)))}, [${namespacesOf(family).map((n) => JSON.stringify(n)).join(", ")}]],`,
    ),
    "};",
    "",
    ...docBlock([
      "Loads a family's data module. A family of at least 1 KiB (minified and gzipped) is a literal `import()`, so " +
        "a bundler makes it a chunk of its own, which a browser fetches only when a submit needs it; a smaller one " +
        "is imported above, with the code that loads the families (its own chunk would cost a request for less).",
    ]),
    "export const FAMILY_LOADERS: Readonly<Record<Family, () => Promise<FamilyData>>> = {",
    ...FAMILIES.map((family) =>
      inlined.includes(family) ? `  ${family}: async () => ${family},` : `  ${family}: () => import(${JSON.stringify(`./${family}.js`)}),`,
    ),
    "};",
    "",
  ].join("\n");
}
