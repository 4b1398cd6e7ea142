import { onDemand } from "../core/on-demand.js";
import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import type { ListModelsOptions, ModelInfo, ModelSource } from "./model-list.js";

/** The code behind these methods, in the chunk of the client's occasional reads, loaded on first use. */
const loadModelReads = onDemand(() => import("./reads.js"));

/**
 * The active models (`GET /models`). A list is read whole (every page, while
 * the answer says `has_more`; an unpaginated answer in one request), once, and
 * reused for `cacheMs` (option `modelsCacheMs`, default 5 minutes); filters
 * apply locally.
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
    return responsePromise(loadModelReads().then(({ listModels }) => listModels(this.#source, options)));
  }

  /** One active model by slug; `NotFoundError` when `GET /models` does not list it. */
  retrieve(slug: string, options: RequestOptions = {}): ResponsePromise<ModelInfo> {
    return responsePromise(loadModelReads().then(({ retrieveModel }) => retrieveModel(this.#source, slug, options)));
  }

  /**
   * A model's public request schema (an OpenAPI document; its `servers[0].url`
   * is the exact submit URL), from `https://www.modellix.ai/models/{slug}/api_schema`
   * (option `schemaBaseURL`). Sent without the API key. The docs spelling of a slug is accepted.
   */
  schema(slug: string, options: RequestOptions = {}): ResponsePromise<Record<string, unknown>> {
    return responsePromise(loadModelReads().then(({ readSchema }) => readSchema(this.#source.transport, this.#source.schemaOrigin, slug, options)));
  }

  /** Forgets the cached lists: the next call reads `GET /models` again. */
  invalidate(): void {
    this.#source.cache.clear();
  }
}
