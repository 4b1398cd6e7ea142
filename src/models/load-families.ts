/**
 * Loads the catalog's data one model family at a time, on demand: a browser
 * fetches the chunk of each family a submit needs (a kB or so each), not the
 * whole catalog; the families under 1 KiB come with this code (families/index.ts).
 * A family already in the table (the full view loaded it, or an earlier submit)
 * is not decoded again.
 */
import { onDemand } from "../core/on-demand.js";
import type { Namespace } from "./catalog.js";
import { addFamily, hasFamily } from "./catalog-table.js";
import { FAMILIES, FAMILY_LOADERS, type Family } from "./families/index.js";

const ALL = Object.keys(FAMILIES) as Family[];

/** Each family's chunk, imported and decoded into the table once (a failed fetch is tried again on the next submit). */
const loaders = Object.fromEntries(
  ALL.map((family) => [family, onDemand(() => FAMILY_LOADERS[family]().then((data) => addFamily(family, data)))]),
) as Record<Family, () => Promise<void>>;

/**
 * The families whose models may be submitted in `namespace`, read from the
 * families' namespaces: its own, `r2v` too for `i2v`, `expansion` too for `i2i`.
 */
export function familiesOf(namespace: Namespace): Family[] {
  return ALL.filter((family) => FAMILIES[family][1].includes(namespace));
}

/** Adds the given families (default: every family) to the catalog table, importing those not in it yet. */
export async function loadFamilies(families: readonly Family[] = ALL): Promise<void> {
  const missing = families.filter((family) => !hasFamily(family));
  if (missing.length > 0) await Promise.all(missing.map((family) => loaders[family]()));
}
