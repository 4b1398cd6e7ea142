/** A model the fake lists: its slug `provider/model_id`, type and display name. */
export interface FakeModelSpec {
  /** `provider/model_id`, e.g. `bytedance/seedream-4-5-t2i`. */
  slug: string;
  /** Task type, e.g. `t2i`; the public catalog also has `other`. */
  type: string;
  /** Display name (default: the slug). */
  name?: string;
}

/** One entry of `GET /models`, as the fake answers it. */
export interface FakeModelEntry {
  slug: string;
  provider: string;
  model_id: string;
  type: string;
  name: string;
}

/** The built-in model list: real public slugs covering every task type. */
export const DEFAULT_FAKE_MODELS: readonly FakeModelSpec[] = [
  { slug: "bytedance/seedream-4-5-t2i", type: "t2i", name: "Seedream 4.5 T2I" },
  { slug: "google/nano-banana-2-lite", type: "t2i", name: "Nano Banana 2 Lite" },
  { slug: "alibaba/qwen-image-2-0", type: "t2i", name: "Qwen Image 2.0" },
  { slug: "bytedance/seedream-5-0-lite-edit", type: "i2i", name: "Seedream 5.0 Lite Edit" },
  { slug: "bytedance/seedance-2-0-fast-i2v", type: "i2v", name: "Seedance 2.0 Fast I2V" },
  { slug: "kling/kling-v2-1-i2v", type: "i2v", name: "Kling V2.1 I2V" },
  { slug: "bytedance/seedance-2-0-mini-t2v", type: "t2v", name: "Seedance 2.0 Mini T2V" },
  { slug: "google/veo-3-1-fast-t2v", type: "t2v", name: "Veo 3.1 Fast T2V" },
  { slug: "kling/kling-image-expansion", type: "expansion", name: "Kling Image Expansion" },
  { slug: "alibaba/wan-2-6-r2v", type: "r2v", name: "Wan 2.6 Reference-to-Video" },
  { slug: "bytedance/seedance-2-0-fast-v2v", type: "v2v", name: "Seedance 2.0 Fast V2V" },
];

/** Expands a spec into the API's entry shape (provider and model id split from the slug). */
export function toModelEntry(spec: FakeModelSpec): FakeModelEntry {
  const slash = spec.slug.indexOf("/");
  return {
    slug: spec.slug,
    provider: slash < 0 ? "" : spec.slug.slice(0, slash),
    model_id: slash < 0 ? spec.slug : spec.slug.slice(slash + 1),
    type: spec.type,
    name: spec.name ?? spec.slug,
  };
}

/**
 * Filters entries by the `GET /models` query: `type` and `provider` match exactly,
 * `search` is a case-insensitive substring of the slug or the name.
 */
export function filterModels(entries: readonly FakeModelEntry[], query: URLSearchParams): FakeModelEntry[] {
  const type = query.get("type");
  const provider = query.get("provider");
  const search = query.get("search")?.toLowerCase();
  return entries.filter(
    (entry) =>
      (!type || entry.type === type) &&
      (!provider || entry.provider === provider) &&
      (!search || entry.slug.toLowerCase().includes(search) || entry.name.toLowerCase().includes(search)),
  );
}
