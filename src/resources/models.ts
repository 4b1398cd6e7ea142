import { isRecord } from "../core/envelope.js";
import { NotFoundError } from "../core/errors.js";
import { pathOf } from "../core/path.js";
import { invalidResponse } from "../core/response-data.js";
import { type ResponsePromise, type WithResponse, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import { API_TYPES } from "../models/catalog.js";
import { loadValidation } from "./submit.js";

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

/** Filters of {@link Models.list}, plus per-call request options. */
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

/** Options of {@link Models.schema}. */
export interface SchemaOptions extends RequestOptions {}

/**
 * The active models (`GET /models`). A list is read once and reused for
 * `cacheMs` (option `modelsCacheMs`, default 5 minutes); filters apply locally.
 */
export class Models {
  readonly #transport: Transport;
  readonly #cacheMs: number;
  readonly #schemaOrigin: string;
  readonly #cache = new Map<string, { at: number; list: WithResponse<ModelInfo[]> }>();

  /** @internal */
  constructor(transport: Transport, options: { cacheMs: number; schemaOrigin: string }) {
    this.#transport = transport;
    this.#cacheMs = options.cacheMs;
    this.#schemaOrigin = options.schemaOrigin;
  }

  /** The active models matching every filter given: `await client.models.list({ type: "t2i" })`. */
  list(options: ListModelsOptions = {}): ResponsePromise<ModelInfo[]> {
    const { type, featured, provider, search, ...request } = options;
    const wanted = type === undefined ? undefined : (API_TYPES[type as keyof typeof API_TYPES] ?? type);
    const needle = search?.toLowerCase();
    const keep = (model: ModelInfo) =>
      (!wanted || model.type === wanted) &&
      (!provider || model.provider === provider) &&
      (!needle || model.slug.toLowerCase().includes(needle) || (model.description?.toLowerCase().includes(needle) ?? false));
    return responsePromise(this.#load(featured === true, request).then(({ data, response }) => ({ data: data.filter(keep), response })));
  }

  /** One active model by slug; `NotFoundError` when `GET /models` does not list it. */
  retrieve(slug: string, options: RequestOptions = {}): ResponsePromise<ModelInfo> {
    return responsePromise(
      this.#load(false, options).then(({ data, response }) => {
        const found = data.find((model) => model.slug === slug);
        if (found) return { data: found, response };
        throw new NotFoundError({ status: 404, message: `Not Found: ${slug} is not an active model (GET /models does not list it)` });
      }),
    );
  }

  /**
   * A model's public request schema (an OpenAPI document; its `servers[0].url`
   * is the exact submit URL), from `https://www.modellix.ai/models/{slug}/api_schema`
   * (option `schemaBaseURL`). Sent without the API key. The docs spelling of a slug is accepted.
   */
  schema(slug: string, options: SchemaOptions = {}): ResponsePromise<Record<string, unknown>> {
    return responsePromise(
      (async () => {
        const { findModel } = await loadValidation();
        const real = findModel(slug)?.slug ?? slug;
        const url = `${this.#schemaOrigin}/models/${pathOf(...real.split("/"))}/api_schema`;
        const response = await this.#transport.get(url, options, { plain: true });
        if (!isRecord(response.data)) throw invalidResponse(response, "an OpenAPI document");
        return { data: response.data, response: response.response };
      })(),
    );
  }

  /** Forgets the cached lists: the next call reads `GET /models` again. */
  invalidate(): void {
    this.#cache.clear();
  }

  async #load(featured: boolean, options: RequestOptions): Promise<WithResponse<ModelInfo[]>> {
    const key = featured ? "featured" : "all";
    const cached = this.#cache.get(key);
    if (cached && Date.now() - cached.at < this.#cacheMs) return cached.list;
    const response = await this.#transport.get(`${pathOf("models")}${featured ? "?featured=true" : ""}`, options, { plain: true });
    const { readModelList } = await import("./model-list.js"); // loaded on first use: not in the browser entry
    const list = { data: readModelList(response), response: response.response };
    this.#cache.set(key, { at: Date.now(), list });
    return list;
  }
}
