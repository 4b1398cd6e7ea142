import { type ResponsePromise, type WithResponse, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";

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

/** What the code behind {@link Models} works with: the transport, its options and the cached lists. @internal */
export interface ModelSource {
  transport: Transport;
  /** How long one list is reused, in ms, when not the default (see model-list.ts). */
  cacheMs: number | undefined;
  /** Where public model schemas are read, when not the default (see model-schema.ts). */
  schemaOrigin: string | undefined;
  /** The lists read, by `"all"` or `"featured"`, with when they were read. */
  cache: Map<string, { at: number; list: WithResponse<ModelInfo[]> }>;
}

/**
 * The active models (`GET /models`). A list is read whole (every page, while
 * the answer says `has_more`; an unpaginated answer in one request), once, and
 * reused for `cacheMs` (option `modelsCacheMs`, default 5 minutes); filters
 * apply locally. (The code behind these methods loads on first use.)
 */
export class Models {
  readonly #source: ModelSource;

  /** @internal */
  constructor(transport: Transport, options: { cacheMs: number | undefined; schemaOrigin: string | undefined }) {
    this.#source = { transport, ...options, cache: new Map() };
  }

  /**
   * The active models matching every filter given: `await client.models.list({ type: "t2i" })`.
   * Reads every page of `GET /models` (`page`, `page_size`; on while `has_more`); an answer that
   * keeps saying `has_more` without new models, or past 100 pages, is an `InvalidResponseError`.
   */
  list(options: ListModelsOptions = {}): ResponsePromise<ModelInfo[]> {
    return responsePromise(loadModelList().then((reader) => reader.listModels(this.#source, options)));
  }

  /** One active model by slug; `NotFoundError` when `GET /models` does not list it. */
  retrieve(slug: string, options: RequestOptions = {}): ResponsePromise<ModelInfo> {
    return responsePromise(loadModelList().then((reader) => reader.retrieveModel(this.#source, slug, options)));
  }

  /**
   * A model's public request schema (an OpenAPI document; its `servers[0].url`
   * is the exact submit URL), from `https://www.modellix.ai/models/{slug}/api_schema`
   * (option `schemaBaseURL`). Sent without the API key. The docs spelling of a slug is accepted.
   */
  schema(slug: string, options: SchemaOptions = {}): ResponsePromise<Record<string, unknown>> {
    return responsePromise(import("./model-schema.js").then((reader) => reader.readSchema(this.#source.transport, this.#source.schemaOrigin, slug, options)));
  }

  /** Forgets the cached lists: the next call reads `GET /models` again. */
  invalidate(): void {
    this.#source.cache.clear();
  }
}

/** The `GET /models` reader, loaded on first use: the browser entry carries none of it. */
function loadModelList(): Promise<typeof import("./model-list.js")> {
  return import("./model-list.js");
}
