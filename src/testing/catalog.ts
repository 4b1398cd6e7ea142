import { listModelEntries } from "../models/entries.js";
import { modelParams } from "../models/params.js";
import { isModelType } from "./model-types.js";
import type { FakeModelSpec, FakeParamSpec } from "./models.js";

/** Models `GET /models?featured=true` lists by default: well-known verified ids, one or more per type. */
const FEATURED: ReadonlySet<string> = new Set([
  "bytedance/seedream-4.5-t2i",
  "alibaba/qwen-image-plus",
  "google/nano-banana-2",
  "bytedance/seedream-5.0-lite-edit",
  "bytedance/seedance-2.0-fast-i2v",
  "kling/kling-v2.1-i2v",
  "alibaba/wan2.6-t2v",
  "alibaba/qwen-audio-3.0-tts-flash",
  "openai/whisper-1",
]);

/**
 * The models of the SDK's generated catalog (`src/models/entries.ts`) that the
 * docs still list, as the fake serves them by default: real slug, doc spelling,
 * API type. Retired ones are left out, so submits to them answer 404.
 */
export const DEFAULT_FAKE_MODELS: readonly FakeModelSpec[] = listModelEntries().flatMap((entry): FakeModelSpec[] => {
  if (entry.retired === true || !isModelType(entry.type)) return [];
  return [
    {
      slug: entry.slug,
      type: entry.type,
      ...(entry.docsSlug !== undefined && entry.docsSlug !== entry.slug ? { docsSlug: entry.docsSlug } : {}),
      featured: FEATURED.has(entry.slug),
    },
  ];
});

/** The parameters a submit for `spec` is checked against: its own, else the catalog's for its slug. */
export function paramsOf(spec: FakeModelSpec): readonly FakeParamSpec[] | undefined {
  return spec.params ?? (Object.hasOwn(modelParams, spec.slug) ? modelParams[spec.slug] : undefined);
}
