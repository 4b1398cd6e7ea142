import * as z from "zod/mini";
import { isRecord } from "../core/envelope.js";
import { NotFoundError } from "../core/errors.js";
import { invalidResponse } from "../core/response-data.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import { type ModelType, knownModelType } from "../models/catalog.js";

/** One active model, as `GET /models` lists it. */
export interface ModelInfo {
  /** `provider/model_id`, the `model` of a submit. */
  slug: string;
  /** The provider part of the slug, e.g. `bytedance`. */
  provider: string;
  /** The model id part of the slug, e.g. `seedream-4-5-t2i`. */
  modelId: string;
  /** Model type (`t2i`, `i2v`, ...); from the catalog when the API does not say. */
  type: ModelType | (string & {});
  /** Display name (the slug when the API gives none). */
  name: string;
  /** The entry as received, with every field the API sent. */
  data: Record<string, unknown>;
}

/** Filters of {@link Models.list}, plus per-call request options. */
export interface ListModelsOptions extends RequestOptions {
  /** Only models of this type. */
  type?: ModelType | (string & {}) | undefined;
  /** Only models of this provider, e.g. `"kling"`. */
  provider?: string | undefined;
  /** Only models whose slug or name contains this text (case-insensitive). */
  search?: string | undefined;
}

const entry = z.looseObject({ slug: z.optional(z.string()), provider: z.optional(z.string()), model_id: z.optional(z.string()), type: z.optional(z.string()), name: z.optional(z.string()) });

/**
 * The active models (`GET /models`). The list is read once and reused for
 * `cacheMs` (option `modelsCacheMs`, default 5 minutes); filters apply locally.
 */
export class Models {
  readonly #transport: Transport;
  readonly #cacheMs: number;
  #cache: { at: number; models: ModelInfo[] } | undefined;

  /** @internal */
  constructor(transport: Transport, cacheMs: number) {
    this.#transport = transport;
    this.#cacheMs = cacheMs;
  }

  /** The active models matching every filter given: `await client.models.list({ type: "t2i" })`. */
  async list(options: ListModelsOptions = {}): Promise<ModelInfo[]> {
    const { type, provider, search, ...request } = options;
    const needle = search?.toLowerCase();
    return (await this.#load(request)).filter(
      (model) =>
        (!type || model.type === type) &&
        (!provider || model.provider === provider) &&
        (!needle || model.slug.toLowerCase().includes(needle) || model.name.toLowerCase().includes(needle)),
    );
  }

  /** One active model by slug; `NotFoundError` when `GET /models` does not list it. */
  async retrieve(slug: string, options: RequestOptions = {}): Promise<ModelInfo> {
    const found = (await this.#load(options)).find((model) => model.slug === slug);
    if (found) return found;
    throw new NotFoundError({ status: 404, message: `Not Found: ${slug} is not an active model (GET /models does not list it)` });
  }

  /** Forgets the cached list: the next call reads `GET /models` again. */
  invalidate(): void {
    this.#cache = undefined;
  }

  async #load(options: RequestOptions): Promise<ModelInfo[]> {
    if (this.#cache && Date.now() - this.#cache.at < this.#cacheMs) return this.#cache.models;
    const response = await this.#transport.get("models", options);
    const { data } = response;
    const rows = Array.isArray(data) ? data : isRecord(data) ? [data.models, data.items].find(Array.isArray) : undefined;
    if (!rows) throw invalidResponse(response, "a list of models");
    const models = rows.flatMap((row: unknown) => toModelInfo(row) ?? []);
    this.#cache = { at: Date.now(), models };
    return models;
  }
}

/** An entry with a `provider/model_id` slug (from `slug`, else `provider` + `model_id`); others are skipped. */
function toModelInfo(row: unknown): ModelInfo | undefined {
  const parsed = entry.safeParse(row);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  const slug = data.slug ?? (data.provider && data.model_id ? `${data.provider}/${data.model_id}` : "");
  const slash = slug.indexOf("/");
  if (slash <= 0 || slash === slug.length - 1) return undefined;
  return {
    slug,
    provider: slug.slice(0, slash),
    modelId: slug.slice(slash + 1),
    type: data.type ?? knownModelType(slug) ?? "other",
    name: data.name ?? slug,
    data,
  };
}
