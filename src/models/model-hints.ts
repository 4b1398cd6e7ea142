/**
 * "Did you mean" for a model slug the API does not know (its 404): the known
 * slugs nearest to it. Loaded only on such a 404.
 */
import { nearest } from "../core/suggest.js";
import { addedEntries, lookupModel } from "./catalog-table.js";
import { loadFamilies } from "./load-families.js";

/**
 * The known slugs nearest to `slug` (a typo of one of them, by edit distance;
 * its doc spelling counts too), at most three. None for a slug the catalog
 * knows, or one near no known slug.
 */
export async function nearestModels(slug: string): Promise<string[]> {
  await loadFamilies();
  if (lookupModel(slug)) return [];
  const realSlugs = new Map<string, string>();
  for (const entry of addedEntries()) {
    realSlugs.set(entry.slug, entry.slug);
    if (entry.docsSlug !== undefined) realSlugs.set(entry.docsSlug, entry.slug);
  }
  const near = nearest(slug, realSlugs.keys(), { maxDistance: Math.max(2, Math.floor(slug.length * 0.15)), limit: 6 });
  return [...new Set(near.map((spelling) => realSlugs.get(spelling) ?? spelling))].slice(0, 3);
}
