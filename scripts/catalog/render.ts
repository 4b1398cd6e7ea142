/** Renders every generated file of `src/models/` from a {@link Catalog}. */
import type { Catalog } from "./build.js";
import { renderCatalog } from "./emit-catalog.js";
import { renderEntries } from "./emit-entries.js";
import { FAMILY_INDEX, familyFile, modelsByFamily, renderFamily, renderFamilyIndex } from "./emit-families.js";
import { renderInputs } from "./emit-inputs.js";
import { renderParams } from "./emit-params.js";
import { FAMILIES, type Family } from "./taxonomy.js";

/** The generated files, by path relative to the repository root. */
export const GENERATED_FILES = [
  "src/models/catalog.ts",
  "src/models/entries.ts",
  "src/models/params.ts",
  "src/models/inputs.ts",
  FAMILY_INDEX,
  ...FAMILIES.map(familyFile),
] as const;

/** A generated file's path. */
export type GeneratedFile = (typeof GENERATED_FILES)[number];

/** Every generated file's source, deterministic for the same catalog. */
export function renderAll(catalog: Catalog): Record<GeneratedFile, string> {
  const byFamily = modelsByFamily(catalog);
  const families = Object.fromEntries(FAMILIES.map((family) => [family, renderFamily(catalog, family, byFamily.get(family) ?? [])])) as Record<Family, string>;
  return {
    "src/models/catalog.ts": renderCatalog(catalog),
    "src/models/entries.ts": renderEntries(catalog),
    "src/models/params.ts": renderParams(catalog),
    "src/models/inputs.ts": renderInputs(catalog),
    [FAMILY_INDEX]: renderFamilyIndex(families),
    ...Object.fromEntries(FAMILIES.map((family) => [familyFile(family), families[family]])),
  } as Record<GeneratedFile, string>;
}
