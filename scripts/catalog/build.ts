/** Reads both data files into one checked {@link Catalog}, the input of every renderer. */
import { type Defaults, chooseDefaults } from "./defaults.js";
import { type ModelParams, alternativeProblems, formatProblems, toModelParams } from "./params.js";
import { type CatalogModel, CatalogInputError, readModels, readParams } from "./source.js";

/** Everything the generated files are rendered from. */
export interface Catalog {
  /** Every model, sorted by slug. */
  models: CatalogModel[];
  /** Known body parameters, keyed by real slug, in slug order. */
  params: Map<string, ModelParams>;
  defaults: Defaults;
}

/** Checks the parsed `models.json` and `params.json` and builds the catalog. Throws on any problem. */
export function buildCatalog(modelsJson: unknown, paramsJson: unknown): Catalog {
  const models = readModels(modelsJson);
  const source = readParams(paramsJson, models);
  const problems = [...formatProblems(source), ...alternativeProblems(source)];
  if (problems.length > 0) throw new CatalogInputError("params.json", problems);
  const params = new Map<string, ModelParams>();
  for (const [slug, entry] of source) params.set(slug, toModelParams(slug, entry));
  const defaults = chooseDefaults(models, (slug) => params.has(slug));
  return { models, params, defaults };
}
