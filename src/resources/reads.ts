/**
 * The client's occasional reads, one chunk loaded on first use: the model list
 * (its pages and cache) and the public schemas (`client.models`), the key check
 * and the balance (`client.account`). A submit needs none of it.
 */
export { listModels, retrieveModel } from "./model-list.js";
export { readSchema } from "./model-schema.js";
export { readBalance, validateKey } from "./account-reads.js";
