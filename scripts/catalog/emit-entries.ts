/**
 * The compact model tokens of the family data modules (src/models/model-codec.ts
 * reads them), and `src/models/entries.ts`: the full view of the catalog, which
 * imports every family's data statically for the Node code that reads the whole
 * table synchronously (the CLI, `modellix/testing`). The browser's submit path
 * does not import it; it loads the families it needs (src/models/load-families.ts).
 */
import type { Catalog } from "./build.js";
import type { CatalogModel } from "./source.js";
import { FAMILIES } from "./taxonomy.js";
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
 * `+` its parameters are known (its family's `PARAMS` list them in the same order, without the slugs),
 * `^` doc spelling = {@link dashed}, `%` doc spelling = {@link dashedAfterName} —
 * then `=docsId` for any other doc spelling under the same provider, or
 * `=provider/docsId` for one under another provider (`skywork/skyreels-i2v` is
 * documented as `skyreels/skyreels-i2v`).
 */
export function encodeModel(model: CatalogModel, hasParams = false): string {
  let flags = `${model.verified ? "" : "?"}${model.retired ? "~" : ""}${hasParams ? "+" : ""}`;
  let explicit = "";
  if (model.docsSlug !== undefined && !model.docsSlug.startsWith(`${model.provider}/`)) {
    explicit = `=${model.docsSlug}`;
  } else if (model.docsSlug !== undefined) {
    const docsId = model.docsSlug.slice(model.provider.length + 1);
    if (docsId === dashed(model.modelId)) flags += "^";
    else if (docsId === dashedAfterName(model.modelId)) flags += "%";
    else explicit = `=${docsId}`;
  }
  return `${model.modelId}${flags}${explicit}`;
}

/** A family's models as strings of at most about a line each, every one starting with its provider. */
export function familyGroups(models: readonly CatalogModel[], hasParams: (slug: string) => boolean, indent: string): string[] {
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
  return [
    GENERATED_HEADER,
    'import { addFamily, addedEntries, lookupModel } from "./catalog-table.js";',
    ...FAMILIES.map((family) => `import { MODELS as ${family}Models, PARAMS as ${family}Params } from "./families/${family}.js";`),
    'import type { Family, FamilyData } from "./families/index.js";',
    'import type { ModelEntry } from "./model-codec.js";',
    "",
    'export type { Family } from "./families/index.js";',
    'export type { ModelEntry } from "./model-codec.js";',
    "",
    ...docBlock([
      `Every model of the catalog (${catalog.models.length}), for lookups at runtime: its real slug, its doc ` +
        "spelling, API type, family, the namespaces it may be submitted in, and whether its id is verified. " +
        "The full view, for Node code that reads the whole table synchronously: it imports every family's data " +
        "(`families/*.ts`). The browser's submit path does not import it; it loads only the families a submit " +
        "needs (`load-families.ts`). Both fill the same table (`catalog-table.ts`).",
    ]),
    "",
    "/** Every family's data module. */",
    "const DATA: Readonly<Record<Family, FamilyData>> = {",
    ...FAMILIES.map((family) => `  ${family}: { MODELS: ${family}Models, PARAMS: ${family}Params },`),
    "};",
    "",
    "let sorted: readonly ModelEntry[] | undefined;",
    "",
    "/** Adds every family to the table (once); returns every model, sorted by slug. */",
    "function load(): readonly ModelEntry[] {",
    "  if (sorted) return sorted;",
    "  for (const family of Object.keys(DATA) as Family[]) addFamily(family, DATA[family]);",
    "  sorted = Object.freeze(addedEntries().sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)));",
    "  return sorted;",
    "}",
    "",
    ...docBlock([
      "The catalog entry of a model, by its real slug (`bytedance/seedream-4.5-t2i`) or its doc spelling " +
        "(`bytedance/seedream-4-5-t2i`); `undefined` for a model the catalog does not know (which the API may " +
        "still accept).",
    ]),
    "export function findModel(slugOrDocsSlug: string): ModelEntry | undefined {",
    "  load();",
    "  return lookupModel(slugOrDocsSlug);",
    "}",
    "",
    "/** Every model of the catalog, sorted by slug. */",
    "export function listModelEntries(): readonly ModelEntry[] {",
    "  return load();",
    "}",
    "",
  ].join("\n");
}
