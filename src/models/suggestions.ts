/**
 * "Did you mean", for the mistakes a submit can make with names: a field a
 * known model does not take (`aspect_ratio` for Google's `aspectRatio`, `size`
 * for a model without one), refused with the nearest field it does take and
 * the list of its fields, since the API would ignore it and bill a task made
 * with its default; and a slug the API does not know (its 404), answered with
 * the known slugs nearest to it. Part of the first submit's chunk (prepare.ts).
 */
import type { ValidationIssue } from "../core/errors.js";
import { nearest } from "../core/suggest.js";
import { addedEntries, lookupModel } from "./catalog-table.js";
import { loadFamilies } from "./load-families.js";

/** A field name compared without case or separators: `aspect_ratio` and `aspectRatio` are the same. */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** The words of a field name: `first_frame_image` and `firstFrameImage` both give first, frame, image. */
export function fieldWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_-]+/)
    .filter(Boolean);
}

/**
 * The field of `names` that `field` most likely means: the same name in another
 * case or spelling, or a near typo (`promt`), else the first field with every
 * word of it (`size` → `imageSize`, `ratio` → `aspectRatio`).
 */
export function nearestField(field: string, names: readonly string[]): string | undefined {
  const [typo] = nearest(field, names, { key: fieldKey, limit: 1 });
  if (typo !== undefined) return typo;
  const wanted = fieldWords(field);
  if (wanted.length === 0) return undefined;
  return names.find((name) => {
    const have = fieldWords(name);
    return wanted.every((word) => have.includes(word));
  });
}

/** Each unknown field of a model (`slug`, taking `names`) with the nearest field it takes, and the issues that refuse them. */
export function unknownFieldIssues(
  slug: string,
  names: readonly string[],
  unknown: readonly string[],
): { fields: { field: string; suggestion: string | undefined }[]; issues: ValidationIssue[] } {
  const fields = unknown.map((field) => ({ field, suggestion: nearestField(field, names) }));
  const takes = names.length > 0 ? `its fields: ${names.join(", ")}` : "it takes no fields";
  const issues = fields.map(({ field, suggestion }, index) => {
    const hint = suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
    const list = index === fields.length - 1 ? ` (${takes}; client.run() sends unknown fields as given)` : "";
    return { path: field, message: `not a field of ${slug}${hint}${list}` };
  });
  return { fields, issues };
}

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
