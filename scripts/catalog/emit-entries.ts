/**
 * Renders `src/models/entries.ts`: every catalog model as compact runtime data,
 * expanded on the first lookup. Loaded lazily; `catalog.ts` does not import it.
 */
import type { Catalog } from "./build.js";
import type { CatalogModel } from "./source.js";
import { FAMILIES, type Family, namespacesOf, typeOfFamily } from "./taxonomy.js";
import { GENERATED_HEADER, LINE_WIDTH, docBlock } from "./text.js";

/** The doc spelling of an id with its dots turned into dashes (`seedream-4.5-t2i` → `seedream-4-5-t2i`). */
export function dashed(id: string): string {
  return id.replace(/\./g, "-");
}

/** The Alibaba Wan doc spelling: also a dash after the leading letters (`wan2.6-t2v` → `wan-2-6-t2v`). */
export function dashedAfterName(id: string): string {
  return dashed(id.replace(/^([a-z]+)(\d)/, "$1-$2"));
}

/**
 * One model as a token: its id, then flags — `?` not verified, `~` retired,
 * `+` its parameters are known (params.ts lists them in slug order, without the slugs),
 * `^` doc spelling = {@link dashed}, `%` doc spelling = {@link dashedAfterName} —
 * then `=docsId` for any other doc spelling.
 */
export function encodeModel(model: CatalogModel, hasParams = false): string {
  let flags = `${model.verified ? "" : "?"}${model.retired ? "~" : ""}${hasParams ? "+" : ""}`;
  let explicit = "";
  if (model.docsSlug !== undefined) {
    const docsId = model.docsSlug.slice(model.provider.length + 1);
    if (docsId === dashed(model.modelId)) flags += "^";
    else if (docsId === dashedAfterName(model.modelId)) flags += "%";
    else explicit = `=${docsId}`;
  }
  return `${model.modelId}${flags}${explicit}`;
}

/** A family's models as strings of at most about a line each, every one starting with its provider. */
function familyGroups(models: readonly CatalogModel[], hasParams: (slug: string) => boolean, indent: string): string[] {
  const groups: string[] = [];
  let current = "";
  let provider = "";
  for (const model of models) {
    const token = encodeModel(model, hasParams(model.slug));
    const fits = `${indent}"${current} ${token}",`.length <= LINE_WIDTH;
    if (model.provider === provider && current && fits) {
      current += ` ${token}`;
      continue;
    }
    if (current) groups.push(current);
    provider = model.provider;
    current = `${model.provider}/${token}`;
  }
  if (current) groups.push(current);
  return groups;
}

/** The source of `src/models/entries.ts`. */
export function renderEntries(catalog: Catalog): string {
  const byFamily = new Map<Family, CatalogModel[]>(FAMILIES.map((family) => [family, []]));
  for (const model of catalog.models) byFamily.get(model.family)?.push(model);
  const out: string[] = [
    GENERATED_HEADER,
    'import type { ApiType, Namespace } from "./catalog.js";',
    "",
    ...docBlock([
      `Every model of the catalog (${catalog.models.length}), for lookups at runtime: its real slug, its doc ` +
        "spelling, API type, family, the namespaces it may be submitted in, and whether its id is verified. " +
        "Loaded lazily, not part of the browser entry.",
    ]),
    "",
    ...docBlock([
      "A model family: the catalog's short code (one per API type, plus `r2v` for the reference-to-video " +
        "models, which the API types as image-to-video) or `expansion` for the image-expansion models " +
        "(image-to-image).",
    ]),
    `export type Family = ${FAMILIES.map((family) => JSON.stringify(family)).join(" | ")};`,
    "",
    "/** One model of the catalog. */",
    "export interface ModelEntry {",
    "  /** The real `provider/model_id` the submit path uses (dots kept: `bytedance/seedream-4.5-t2i`). */",
    "  slug: string;",
    "  /** The doc page spelling (`bytedance/seedream-4-5-t2i`), where it differs: accepted, and sent as `slug`. */",
    "  docsSlug?: string;",
    "  /** The API's type. */",
    "  type: ApiType;",
    "  /** The family: t2i ... sts, `r2v` (reference-to-video) or `expansion`. */",
    "  family: Family;",
    '  /** Where it may be submitted, its own namespace first (an expansion model: `["expansion", "i2i"]`). */',
    "  namespaces: readonly Namespace[];",
    "  /** True when the id was seen in a real submit URL or in the vendor's code; false for a best guess. */",
    "  verified: boolean;",
    "  /** The docs stopped listing it: probably retired. */",
    "  retired?: boolean;",
    "}",
    "",
    "const FAMILIES: Readonly<Record<Family, readonly [ApiType, readonly Namespace[]]>> = {",
    ...FAMILIES.map(
      (family) =>
        `  ${family}: [${JSON.stringify(typeOfFamily(family))}, [${namespacesOf(family).map((n) => JSON.stringify(n)).join(", ")}]],`,
    ),
    "};",
    "",
    ...docBlock([
      "The models per family, compactly: space-separated tokens, each `id` then flags (`?` not verified, " +
        "`~` retired, `+` parameters known (params.ts), `^` doc spelling = id with dots turned into dashes, `%` = the same with a dash after " +
        "the leading letters, as in `wan-2-6-t2v`) then `=docsId` for any other doc spelling. A token " +
        "`provider/id` starts a provider; the tokens after it share it.",
    ]),
    "const DATA: Readonly<Record<Family, readonly string[]>> = {",
  ];
  for (const family of FAMILIES) {
    const groups = familyGroups(byFamily.get(family) ?? [], (slug) => catalog.params.has(slug), "    ");
    out.push(`  ${family}: [`, ...groups.map((group) => `    ${JSON.stringify(group)},`), "  ],");
  }
  out.push(
    "};",
    "",
    "const TOKEN = /^(?:([a-z0-9-]+)\\/)?([A-Za-z0-9][\\w.-]*)([?~+^%]*)(?:=([\\w.-]+))?$/;",
    "",
    "let index: Map<string, ModelEntry> | undefined;",
    "let entries: readonly ModelEntry[] = [];",
    "let withParams: readonly string[] = [];",
    "",
    "function docsId(id: string, flags: string, explicit: string | undefined): string | undefined {",
    "  if (explicit !== undefined) return explicit;",
    '  if (flags.includes("^")) return id.replace(/\\./g, "-");',
    '  if (flags.includes("%")) return id.replace(/^([a-z]+)(\\d)/, "$1-$2").replace(/\\./g, "-");',
    "  return undefined;",
    "}",
    "",
    "function load(): Map<string, ModelEntry> {",
    "  if (index) return index;",
    "  const map = new Map<string, ModelEntry>();",
    "  const list: ModelEntry[] = [];",
    "  const known = new Set<string>();",
    "  for (const family of Object.keys(DATA) as Family[]) {",
    "    const [type, namespaces] = FAMILIES[family];",
    "    for (const group of DATA[family]) {",
    '      let provider = "";',
    '      for (const token of group.split(" ")) {',
    "        const match = TOKEN.exec(token);",
    "        if (!match) continue;",
    '        const [, prefix, id = "", flags = "", explicit] = match;',
    "        if (prefix !== undefined) provider = prefix;",
    "        const docs = docsId(id, flags, explicit);",
    "        const entry: ModelEntry = Object.freeze({",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text for the generated file
    "          slug: `${provider}/${id}`,",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text for the generated file
    "          ...(docs === undefined ? {} : { docsSlug: `${provider}/${docs}` }),",
    "          type,",
    "          family,",
    "          namespaces,",
    '          verified: !flags.includes("?"),',
    '          ...(flags.includes("~") ? { retired: true } : {}),',
    "        });",
    "        list.push(entry);",
    '        if (flags.includes("+")) known.add(entry.slug);',
    "        map.set(entry.slug, entry);",
    "        if (entry.docsSlug !== undefined) map.set(entry.docsSlug, entry);",
    "      }",
    "    }",
    "  }",
    "  entries = Object.freeze(list.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)));",
    "  withParams = entries.filter((entry) => known.has(entry.slug)).map((entry) => entry.slug);",
    "  index = map;",
    "  return map;",
    "}",
    "",
    ...docBlock([
      "The catalog entry of a model, by its real slug (`bytedance/seedream-4.5-t2i`) or its doc spelling " +
        "(`bytedance/seedream-4-5-t2i`); `undefined` for a model the catalog does not know (which the API may " +
        "still accept).",
    ]),
    "export function findModel(slugOrDocsSlug: string): ModelEntry | undefined {",
    "  return load().get(slugOrDocsSlug);",
    "}",
    "",
    "/** The slugs of the models whose parameters params.ts knows, sorted: the order of its data. */",
    "export function paramSlugs(): readonly string[] {",
    "  load();",
    "  return withParams;",
    "}",
    "",
    "/** Every model of the catalog, sorted by slug. */",
    "export function listModelEntries(): readonly ModelEntry[] {",
    "  load();",
    "  return entries;",
    "}",
    "",
  );
  return out.join("\n");
}
