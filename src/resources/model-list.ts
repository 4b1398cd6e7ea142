/** Reading, caching and filtering `GET /models`, for `client.models`. */
import { isRecord } from "../core/envelope.js";
import { NotFoundError } from "../core/errors.js";
import { pathOf } from "../core/path.js";
import { invalidResponse, listIn } from "../core/response-data.js";
import type { WithResponse } from "../core/response-promise.js";
import type { APIResponse, RequestOptions, Transport } from "../core/transport.js";
import { API_TYPES } from "../models/catalog.js";


/** One active model, as `GET /models` lists it. */
export interface ModelInfo {
  /** `provider/model_id`, the `model` of a submit. */
  slug: string;
  /** The provider part of the slug, e.g. `bytedance`. */
  provider: string;
  /** The model id part of the slug, e.g. `seedream-4.5-t2i`. */
  modelId: string;
  /** The API's type, e.g. `text-to-image`. */
  type: string | undefined;
  /** The SDK namespace for that type (`t2i`, `i2v`, ...), when it has one. */
  namespace: string | undefined;
  /** The model's documentation page. */
  docsUrl: string | undefined;
  description: string | undefined;
  /** The entry as received, prices and all. */
  data: Record<string, unknown>;
}

/** Filters of `client.models.list()`, plus per-call request options. */
export interface ListModelsOptions extends RequestOptions {
  /** Only models of this type: a namespace code (`t2i`) or the API's name (`text-to-image`). */
  type?: string | undefined;
  /** Only the featured models (`GET /models?featured=true`). */
  featured?: boolean | undefined;
  /** Only models of this provider, e.g. `"kling"`. */
  provider?: string | undefined;
  /** Only models whose slug or description contains this text (case-insensitive). */
  search?: string | undefined;
}

/** What `client.models` works with: the transport, its options and the cached lists. @internal */
export interface ModelSource {
  transport: Transport;
  /** How long one list is reused, in ms, when not the default (see model-list.ts). */
  cacheMs: number | undefined;
  /** Where public model schemas are read, when not the default (see model-schema.ts). */
  schemaOrigin: string | undefined;
  /** The lists read, by `"all"` or `"featured"`, with when they were read. */
  cache: Map<string, { at: number; list: WithResponse<ModelInfo[]> }>;
}

/** How long one `GET /models` answer is reused by default, in ms (option `modelsCacheMs`). */
const defaultCacheMs = 300_000;

const namespaceOfType: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(API_TYPES).map(([short, long]) => [long, short]));

/** The active models matching every filter in `options` (see `Models.list`). */
export async function listModels(source: ModelSource, options: ListModelsOptions): Promise<WithResponse<ModelInfo[]>> {
  const { type, featured, provider, search, ...request } = options;
  const wanted = type === undefined ? undefined : (API_TYPES[type as keyof typeof API_TYPES] ?? type);
  const needle = search?.toLowerCase();
  const keep = (model: ModelInfo) =>
    (!wanted || model.type === wanted) &&
    (!provider || model.provider === provider) &&
    (!needle || model.slug.toLowerCase().includes(needle) || (model.description?.toLowerCase().includes(needle) ?? false));
  const { data, response } = await load(source, featured === true, request);
  return { data: data.filter(keep), response };
}

/** One active model by slug, or a `NotFoundError` (see `Models.retrieve`). */
export async function retrieveModel(source: ModelSource, slug: string, options: RequestOptions): Promise<WithResponse<ModelInfo>> {
  const { data, response } = await load(source, false, options);
  const found = data.find((model) => model.slug === slug);
  if (found) return { data: found, response };
  throw new NotFoundError({ status: 404, message: `Not Found: ${slug} is not an active model (GET /models does not list it)` });
}

/** The list, from the cache while it is younger than `cacheMs`, else read again. */
async function load(source: ModelSource, featured: boolean, options: RequestOptions): Promise<WithResponse<ModelInfo[]>> {
  const key = featured ? "featured" : "all";
  const cached = source.cache.get(key);
  if (cached && Date.now() - cached.at < (source.cacheMs ?? defaultCacheMs)) return cached.list;
  const list = await readAllPages(source, featured, options);
  source.cache.set(key, { at: Date.now(), list });
  return list;
}

/** Models asked for per page of `GET /models`. */
const pageSize = 100;

/** The most pages read for one list: a server that always says `has_more` ends in an error, not a loop. */
const maxPages = 100;

/**
 * Every page of `GET /models`: asks for `page` and `page_size`, and reads the
 * next page while the answer says `has_more` (or, without it, while its `total`
 * exceeds the models read). An answer without either, such as the unpaginated
 * `{ models: [...] }`, is the whole list. A model listed twice is kept once.
 * A page that adds nothing, or more than {@link maxPages} pages, is an
 * `InvalidResponseError`. Resolves with the last page's response.
 */
async function readAllPages(source: ModelSource, featured: boolean, options: RequestOptions): Promise<WithResponse<ModelInfo[]>> {
  const bySlug = new Map<string, ModelInfo>();
  for (let page = 1; ; page++) {
    const query = new URLSearchParams({ ...(featured ? { featured: "true" } : {}), page: String(page), page_size: String(pageSize) });
    const response = await source.transport.get(`${pathOf("models")}?${query}`, options, { plain: true });
    const { models, hasMore, total } = readModelPage(response);
    const before = bySlug.size;
    for (const model of models) if (!bySlug.has(model.slug)) bySlug.set(model.slug, model);
    const more = hasMore ?? (total !== undefined && bySlug.size < total);
    if (!more || (total !== undefined && bySlug.size >= total)) return { data: [...bySlug.values()], response: response.response };
    if (bySlug.size === before) throw invalidResponse(response, `more models on page ${page} of GET /models (it says has_more, but lists no new model)`);
    if (page === maxPages) throw invalidResponse(response, `the last page of GET /models within ${maxPages} pages of ${pageSize} (has_more is still true)`);
  }
}

/** One page of models as read, with what it says of the rest. */
interface ModelPage {
  models: ModelInfo[];
  /** `has_more`, when the answer has it. */
  hasMore: boolean | undefined;
  /** `total`, when the answer has it. */
  total: number | undefined;
}

/**
 * A `GET /models` answer (`{ models: [...] }`, enveloped or not, with `total` and
 * `has_more` beside the list when paginated); entries without a slug are skipped.
 */
function readModelPage(response: APIResponse): ModelPage {
  const rows = listIn(response.data, ["models", "data", "items"]);
  if (!rows) throw invalidResponse(response, "{ models: [...] }");
  const paging = pagingOf(response.data);
  return {
    models: rows.flatMap((row) => toModelInfo(row) ?? []),
    hasMore: typeof paging?.has_more === "boolean" ? paging.has_more : undefined,
    total: typeof paging?.total === "number" && Number.isFinite(paging.total) ? paging.total : undefined,
  };
}

/** The object that carries `has_more` or `total`: the answer itself, or its `data`. */
function pagingOf(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  if ("has_more" in value || "total" in value) return value;
  return pagingOf(value.data);
}

/** An entry with a `provider/model_id` slug (from `slug`, else `provider` + `model_id`); others are skipped. */
function toModelInfo(row: unknown): ModelInfo | undefined {
  if (!isRecord(row)) return undefined;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const provider = text(row.provider);
  const modelId = text(row.model_id);
  const slug = text(row.slug) ?? (provider && modelId ? `${provider}/${modelId}` : "");
  const slash = slug.indexOf("/");
  if (slash <= 0 || slash === slug.length - 1) return undefined;
  const type = text(row.type);
  return {
    slug,
    provider: slug.slice(0, slash),
    modelId: slug.slice(slash + 1),
    type,
    namespace: type && Object.hasOwn(namespaceOfType, type) ? namespaceOfType[type] : type && Object.hasOwn(API_TYPES, type) ? type : undefined,
    docsUrl: text(row.docs_url),
    description: text(row.description),
    data: row,
  };
}
