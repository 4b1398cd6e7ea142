/**
 * The catalog of this process, filled one model family at a time: by the
 * browser's submit path with only the families a submit needs (load-families.ts),
 * or at once by the full view (entries.ts) that Node code reads synchronously.
 * Both fill this one table, so a family is decoded once and its entries are the
 * same objects whichever way they were found.
 */
import { API_TYPES } from "./catalog.js";
import { FAMILIES, type Family, type FamilyData } from "./families/index.js";
import { type ModelEntry, decodeModels } from "./model-codec.js";
import { type ParamSpec, decodeParam } from "./param-codec.js";

const added = new Set<Family>();
const bySlug = new Map<string, ModelEntry>();
const paramsBySlug = new Map<string, readonly ParamSpec[]>();

/** Whether a family's models are in the table. */
export function hasFamily(family: Family): boolean {
  return added.has(family);
}

/** Decodes a family's data module into the table; a family already added is left as it is. */
export function addFamily(family: Family, data: FamilyData): void {
  if (added.has(family)) return;
  const [typed, namespaces] = FAMILIES[family];
  let line = 0;
  decodeModels(family, API_TYPES[typed], namespaces, data.MODELS, (entry, hasParams) => {
    bySlug.set(entry.slug, entry);
    if (entry.docsSlug !== undefined) bySlug.set(entry.docsSlug, entry);
    if (hasParams) paramsBySlug.set(entry.slug, data.PARAMS[line++]?.split(" ").filter(Boolean).map(decodeParam) ?? []);
  });
  added.add(family);
}

/** The entry of a model of the families added so far, by its real slug or its doc spelling. */
export function lookupModel(slugOrDocsSlug: string): ModelEntry | undefined {
  return bySlug.get(slugOrDocsSlug);
}

/** The body parameters of a model (by real slug) whose family was added, when the catalog knows them. */
export function paramsOf(slug: string): readonly ParamSpec[] | undefined {
  return paramsBySlug.get(slug);
}

/** The models of the families added so far, each once, in no particular order. */
export function addedEntries(): ModelEntry[] {
  return [...new Set(bySlug.values())];
}
