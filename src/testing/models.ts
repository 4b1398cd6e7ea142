import type { ParamSpec } from "../models/params.js";
import type { Refusal } from "./envelope.js";
import type { FakeModelType } from "./model-types.js";

/** One body parameter of a model, as the SDK's generated catalog describes it (`src/models/params.ts`). */
export type FakeParamSpec = ParamSpec;

/** A model the fake knows: listed by `GET /models`, accepted by submits, its body checked against `params`. */
export interface FakeModelSpec {
  /** The real `provider/model_id`, dots kept, e.g. `bytedance/seedream-4.5-t2i`. */
  slug: string;
  /** The API type, e.g. `text-to-image`; it decides what the model's tasks produce. */
  type: FakeModelType;
  /** The doc-page spelling (`bytedance/seedream-4-5-t2i`), when it differs; it is NOT a valid API path. */
  docsSlug?: string;
  /** `GET /models` `description` (default: a sentence from the type and slug). */
  description?: string;
  /** `GET /models` `docs_url` (default `https://docs.modellix.ai/{docsSlug ?? slug}`). */
  docsUrl?: string;
  /** Listed by `GET /models?featured=true`. Default false. */
  featured?: boolean;
  /**
   * The body parameters a submit is checked against: required ones must be there,
   * types, enums, ranges and size formats must hold. Default: the catalog's list
   * for this slug. `[]` checks nothing. Without a list, only `prompt` is checked
   * (a string; required for the types in `promptRequired`).
   */
  params?: readonly FakeParamSpec[];
  /** More fields for the model's `GET /models` entry, such as prices. */
  extra?: Readonly<Record<string, unknown>>;
}

/** One entry of `GET /models`: `{ slug, type, docs_url, description, ...extra }`. */
export interface FakeModelEntry {
  /** The real `provider/model_id`. */
  slug: string;
  /** The API type, a long name such as `text-to-image`. */
  type: FakeModelType;
  /** The model's documentation page. */
  docs_url: string;
  /** One line about the model. */
  description: string;
  /** Fields from {@link FakeModelSpec.extra}, such as prices. */
  [field: string]: unknown;
}

const TYPE_LABELS: Readonly<Record<FakeModelType, string>> = {
  "text-to-image": "Text-to-image",
  "image-to-image": "Image-to-image",
  "text-to-video": "Text-to-video",
  "image-to-video": "Image-to-video",
  "video-to-video": "Video-to-video",
  "text-to-speech": "Text-to-speech",
  "speech-to-text": "Speech-to-text",
  "speech-to-speech": "Speech-to-speech",
};

/** A spec as `GET /models` lists it. */
export function toModelEntry(spec: FakeModelSpec): FakeModelEntry {
  return {
    ...spec.extra,
    slug: spec.slug,
    type: spec.type,
    docs_url: spec.docsUrl ?? `https://docs.modellix.ai/${spec.docsSlug ?? spec.slug}`,
    description: spec.description ?? `${TYPE_LABELS[spec.type]} model ${spec.slug} (FakeModellix).`,
  };
}

/**
 * A `GET /models` answer: `{ models }` with every model asked for, or, when the
 * query asks for a page, that page with `total`, `page`, `page_size` and `has_more`.
 */
export interface FakeModelList {
  /** The models of the answer (of the page, when paginated). */
  models: FakeModelEntry[];
  /** Paginated only: how many models match in all. */
  total?: number;
  /** Paginated only: the page answered, from 1. */
  page?: number;
  /** Paginated only: models per page. */
  page_size?: number;
  /** Paginated only: whether a later page has more models. */
  has_more?: boolean;
}

/** Models per page when a query gives `page` without `page_size`. */
const DEFAULT_PAGE_SIZE = 20;

/**
 * The `GET /models` answer for a query: every model, or with `featured=true`
 * the featured ones; paginated when the query has `page` or `page_size`
 * (positive integers; `page` defaults to 1, `page_size` to 20), as the
 * vendor's newer code reads it. A bad `page` or `page_size` is refused.
 */
export function listModels(specs: readonly FakeModelSpec[], query: URLSearchParams): FakeModelList | { refusal: Refusal } {
  const featuredOnly = query.get("featured")?.toLowerCase() === "true";
  const models = specs.filter((spec) => !featuredOnly || spec.featured === true).map(toModelEntry);
  if (!query.has("page") && !query.has("page_size")) return { models };
  const page = positiveInteger(query, "page", 1);
  if (typeof page !== "number") return { refusal: page };
  const pageSize = positiveInteger(query, "page_size", DEFAULT_PAGE_SIZE);
  if (typeof pageSize !== "number") return { refusal: pageSize };
  const start = (page - 1) * pageSize;
  return { models: models.slice(start, start + pageSize), total: models.length, page, page_size: pageSize, has_more: start + pageSize < models.length };
}

/** A query parameter as a positive integer (`fallback` when absent), or why it is refused. */
function positiveInteger(query: URLSearchParams, name: string, fallback: number): number | Refusal {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (/^\d+$/.test(text) && Number.isSafeInteger(value) && value >= 1) return value;
  return { category: "Invalid parameters", detail: `parameter '${name}' must be a positive integer, got '${text.slice(0, 40)}'` };
}

/** What a submit path's `provider/model_id` names among `specs`: the model, a doc spelling of one, or nothing. */
export function lookupModel(
  specs: readonly FakeModelSpec[],
  slug: string,
): { spec: FakeModelSpec } | { docsSpellingOf: FakeModelSpec } | undefined {
  const spec = specs.find((candidate) => candidate.slug === slug);
  if (spec) return { spec };
  const spelled = specs.find((candidate) => candidate.docsSlug === slug);
  return spelled ? { docsSpellingOf: spelled } : undefined;
}
