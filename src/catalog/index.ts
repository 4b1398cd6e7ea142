/**
 * `modellix/catalog`: the models this SDK knows. The client's namespaces and
 * the API's type of each, each namespace's default model, the known model
 * slugs, the typed inputs of the models whose parameters are known, and the
 * types of the live list that `client.models` reads (`GET /models`).
 *
 * ```ts
 * import { NAMESPACES, defaultModels } from "modellix/catalog";
 *
 * for (const namespace of NAMESPACES) console.log(`client.${namespace}`, defaultModels[namespace]);
 * ```
 *
 * @packageDocumentation
 */
export { API_TYPES, NAMESPACES, defaultModels } from "../models/catalog.js";
export type { DefaultModel, KnownModel, KnownModels, ModelSlug, Namespace } from "../models/catalog.js";
export type { MediaInput, ModelInput, ModelInputs, SubmitInput } from "../models/inputs.js";
export type { ListModelsOptions, ModelInfo } from "../resources/model-list.js";
