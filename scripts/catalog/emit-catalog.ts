/**
 * Renders `src/models/catalog.ts`: the small runtime part of the catalog that the
 * browser entry may carry (namespaces, API types, default models) and the
 * compile-time unions of known slugs.
 */
import type { Catalog } from "./build.js";
import { API_TYPES, NAMESPACES, NAMESPACE_DOCS, type Namespace, namespacesOf } from "./taxonomy.js";
import { GENERATED_HEADER, docBlock, unionLines } from "./text.js";

/** The current (not retired) slugs submittable in each namespace, sorted. */
export function knownSlugs(catalog: Catalog): Record<Namespace, string[]> {
  const out = Object.fromEntries(NAMESPACES.map((namespace) => [namespace, [] as string[]])) as Record<Namespace, string[]>;
  for (const model of catalog.models) {
    if (model.retired) continue;
    for (const namespace of namespacesOf(model.family)) out[namespace].push(model.slug);
  }
  return out;
}

/** The source of `src/models/catalog.ts`. */
export function renderCatalog(catalog: Catalog): string {
  const { models, defaults } = catalog;
  const verified = models.filter((model) => model.verified).length;
  const retired = models.filter((model) => model.retired).length;
  const slugs = knownSlugs(catalog);
  const out: string[] = [
    GENERATED_HEADER,
    "",
    ...docBlock([
      "The Modellix model catalog: the client's namespaces, the API's model types, each namespace's " +
        "default model, and (compile-time only) the known model slugs per namespace, so editors complete them.",
      `${models.length} models, ${verified} of them verified (their id was seen in a real submit URL or in the ` +
        `vendor's own code); the other ${models.length - verified} ids are best guesses from the doc pages, and ` +
        `${retired} models are probably retired (kept for lookups, left out of the unions). A slug not listed ` +
        "here is still accepted wherever a {@link ModelSlug} is expected.",
      "Only `NAMESPACES`, `API_TYPES` and `defaultModels` exist at runtime; the checker (`prepare.ts`) loads " +
        "lazily, and with it, one family at a time, the models and their parameters (`families/*.ts`) a submit " +
        "needs. `entries.ts` and `params.ts` are the full table, for Node code.",
    ]),
    "",
    "/** The client's namespaces: `client.t2i`, `client.i2i`, ... `client.expansion`. */",
    `export const NAMESPACES = [${NAMESPACES.map((namespace) => JSON.stringify(namespace)).join(", ")}] as const;`,
    "",
    ...docBlock([
      `A client namespace: ${NAMESPACES.map((namespace) => `\`${namespace}\` ${NAMESPACE_DOCS[namespace].toLowerCase()}`).join(", ")}.`,
    ]),
    "export type Namespace = (typeof NAMESPACES)[number];",
    "",
    "/** A model type as the API names it (`GET /models` answers these long names). */",
    "export type ApiType =",
    ...unionLines(Object.values(API_TYPES).map((type) => JSON.stringify(type)), "  "),
    "",
    ...docBlock([
      "The known, current model slugs of each namespace (real ids, dots kept). An expansion model is also " +
        "an image-to-image model; the reference-to-video models (`r2v`) are image-to-video models.",
    ]),
    "export interface KnownModels {",
  ];
  for (const namespace of NAMESPACES) {
    const list = slugs[namespace];
    out.push(...docBlock([`${NAMESPACE_DOCS[namespace]} models (${list.length}).`], "  "));
    if (list.length === 0) out.push(`  ${namespace}: never;`);
    else if (list.length === 1) out.push(`  ${namespace}: ${JSON.stringify(list[0])};`);
    else {
      out.push(`  ${namespace}:`);
      out.push(...unionLines(list.map((slug) => JSON.stringify(slug)), "    "));
    }
  }
  out.push(
    "}",
    "",
    "/** Every known, current model slug. */",
    "export type KnownModel = KnownModels[Namespace];",
    "",
    ...docBlock([
      "A model slug: one of the known slugs `K`, which editors complete, or any other string, so new models " +
        "work before the SDK lists them.",
    ]),
    "export type ModelSlug<K extends string> = K | (string & {});",
    "",
    "/** The API type of each namespace (the `expansion` models are `image-to-image`). */",
    'export const API_TYPES: Record<Exclude<Namespace, "expansion">, ApiType> = {',
    ...Object.entries(API_TYPES).map(([namespace, type]) => `  ${namespace}: ${JSON.stringify(type)},`),
    "};",
    "",
    ...docBlock([
      "The model a submit uses when it names none. Each is verified (its id was seen in a real submit URL " +
        "or the vendor's code) and has known parameters, so its input is checked before sending" +
        (Object.keys(defaults.waived).length > 0 ? ", except:" : "."),
      ...NAMESPACES.flatMap((namespace) => {
        const waiver = defaults.waived[namespace];
        return waiver === undefined ? [] : [`- \`${namespace}\`: ${waiver}.`];
      }),
    ]),
    "export const defaultModels = {",
    ...NAMESPACES.map((namespace) => `  ${namespace}: ${JSON.stringify(defaults.models[namespace])},`),
    "} as const satisfies Record<Namespace, string>;",
    "",
    "/** The default model of namespace `N`, as a literal type. */",
    "export type DefaultModel<N extends Namespace> = (typeof defaultModels)[N];",
    "",
  );
  return out.join("\n");
}
