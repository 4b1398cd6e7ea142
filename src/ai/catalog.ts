/**
 * What the provider knows of a model from the generated catalog: its real
 * slug, the namespace to submit it in, and its body parameters. A model of
 * another kind (a video model given to `modellix.image()`) is refused here,
 * before anything is sent.
 */
import { ValidationError } from "../index.js";
import { API_TYPES, type Namespace } from "../models/catalog.js";
import { paramsOf } from "../models/catalog-table.js";
import type { ParamSpec } from "../models/prepare.js";

/** The four kinds of AI SDK model the provider makes, named as its methods are. */
export type ModelKind = "image" | "video" | "speech" | "transcription";

/** The namespaces whose models each kind takes. */
const KIND_NAMESPACES: Readonly<Record<ModelKind, readonly Namespace[]>> = {
  image: ["t2i", "i2i", "expansion"],
  video: ["t2v", "i2v", "v2v"],
  speech: ["tts", "sts"],
  transcription: ["stt"],
};

/**
 * The parameters assumed for a model whose own the catalog does not know: only
 * the main input, which every known model of the kind takes under this name.
 * Every other setting is dropped with a warning (pass it in `providerOptions.modellix`).
 */
const KIND_DEFAULTS: Readonly<Record<ModelKind, readonly ParamSpec[]>> = {
  image: [{ name: "prompt", type: "string" }],
  video: [{ name: "prompt", type: "string" }],
  speech: [
    { name: "text", type: "string" },
    { name: "voice", type: "string" },
  ],
  transcription: [{ name: "url", type: "string", media: true }],
};

/** A model as the provider submits it. */
export interface ModelFacts {
  /** The real slug (a doc spelling turned into it). */
  slug: string;
  /** Where it is submitted: its catalog namespace, or a guess from the call's inputs for a model the catalog lacks. */
  namespace: Namespace;
  /** Its body parameters, by name, in the catalog's order. */
  params: ReadonlyMap<string, ParamSpec>;
  /** True when `params` are the model's own; false when they are its kind's defaults. */
  known: boolean;
}

/**
 * The facts of model `slug` for a model of `kind`. `guess` picks the namespace
 * of a model the catalog does not know. Throws a `ValidationError` for a model
 * of another kind.
 */
export async function modelFacts(slug: string, kind: ModelKind, guess: () => Namespace): Promise<ModelFacts> {
  // The client's own validation chunk, which reads the catalog: loaded once, as a submit loads it.
  const { loadModelEntry } = await import("../models/prepare.js");
  const entry = await loadModelEntry(slug);
  const own = entry ? paramsOf(entry.slug) : undefined;
  const params = new Map((own ?? KIND_DEFAULTS[kind]).map((spec) => [spec.name, spec]));
  if (!entry) return { slug, namespace: guess(), params, known: false };
  const namespace = entry.namespaces.find((candidate) => KIND_NAMESPACES[kind].includes(candidate));
  if (namespace === undefined) {
    const home = entry.namespaces[0] ?? "t2i";
    const other = (Object.keys(KIND_NAMESPACES) as ModelKind[]).find((name) => KIND_NAMESPACES[name].includes(home)) ?? kind;
    const type = home === "expansion" ? API_TYPES.i2i : API_TYPES[home];
    const article = /^[aeiou]/.test(type) ? "an" : "a";
    throw new ValidationError(
      [{ path: "model", message: `${JSON.stringify(entry.slug)} is ${article} ${type} model: use modellix.${other}(${JSON.stringify(entry.slug)})` }],
      `modellix.${kind}() model`,
    );
  }
  return { slug: entry.slug, namespace, params, known: own !== undefined };
}
