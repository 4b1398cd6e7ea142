/**
 * The rule that picks each namespace's default model (used when a submit names
 * none). Each namespace has a preferred model, mapped to its real id; it must be
 * in the catalog, current (not retired), submittable in that namespace, verified,
 * and have known parameters (so the SDK checks the input). The generator fails
 * loudly when a preferred model does not qualify, unless a waiver below says why
 * it ships anyway.
 */
import type { CatalogModel } from "./source.js";
import { NAMESPACES, type Namespace, namespacesOf } from "./taxonomy.js";

/** The preferred default of each namespace (the SDK's earlier choices, under their real ids). */
export const PREFERRED_DEFAULTS: Readonly<Record<Namespace, string>> = {
  t2i: "google/nano-banana-2-lite",
  i2i: "bytedance/seedream-5.0-lite-edit",
  t2v: "bytedance/seedance-2.0-mini-t2v",
  i2v: "bytedance/seedance-2.0-fast-i2v",
  v2v: "bytedance/seedance-2.0-fast-v2v",
  tts: "alibaba/qwen-audio-3.0-tts-flash",
  stt: "openai/whisper-1",
  sts: "alibaba/cosyvoice-clone",
  expansion: "kling/kling-image-expansion",
};

/**
 * Namespaces whose default may skip the "verified and has parameters" part of
 * the rule, with the reason (shown in the generated TSDoc). Everything else
 * about the rule still holds.
 */
export const DEFAULT_WAIVERS: Readonly<Partial<Record<Namespace, string>>> = {
  expansion:
    "kling/kling-image-expansion is the only current expansion model in the catalog (alibaba/image-outpainting is " +
    "retired), but its id is a best guess (not yet seen in a real submit URL) and its parameters are unknown, so " +
    "its input is passed through unchecked",
};

/** The chosen defaults, with the waiver text of those that needed one. */
export interface Defaults {
  models: Record<Namespace, string>;
  waived: Partial<Record<Namespace, string>>;
}

/**
 * Applies the rule to the catalog. Throws one error listing every namespace
 * whose default does not qualify.
 */
export function chooseDefaults(
  models: readonly CatalogModel[],
  hasParams: (slug: string) => boolean,
  preferred: Readonly<Record<Namespace, string>> = PREFERRED_DEFAULTS,
  waivers: Readonly<Partial<Record<Namespace, string>>> = DEFAULT_WAIVERS,
): Defaults {
  const bySlug = new Map(models.map((model) => [model.slug, model]));
  const problems: string[] = [];
  const out: Defaults = { models: { ...preferred }, waived: {} };
  for (const namespace of NAMESPACES) {
    const slug = preferred[namespace];
    const model = bySlug.get(slug);
    if (!model) {
      problems.push(`${namespace}: default ${slug} is not in the catalog`);
      continue;
    }
    if (model.retired) problems.push(`${namespace}: default ${slug} is probably retired`);
    if (!namespacesOf(model.family).includes(namespace)) {
      problems.push(`${namespace}: default ${slug} is a ${model.family} model, not submittable in ${namespace}`);
    }
    if (namespace === "expansion" && model.family !== "expansion") {
      problems.push(`${namespace}: default ${slug} is not an expansion model`);
    }
    const missing = [model.verified ? "" : "is not verified", hasParams(slug) ? "" : "has no known parameters"].filter(Boolean);
    if (missing.length > 0) {
      const waiver = waivers[namespace];
      if (waiver === undefined) problems.push(`${namespace}: default ${slug} ${missing.join(" and ")}`);
      else out.waived[namespace] = waiver;
    }
  }
  if (problems.length > 0) {
    throw new Error(`No valid default model for ${problems.length} namespace(s):\n  ${problems.join("\n  ")}`);
  }
  return out;
}
