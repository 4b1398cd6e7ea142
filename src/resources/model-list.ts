/** Reading `GET /models`, loaded on first use by `client.models`. */
import { isRecord } from "../core/envelope.js";
import { invalidResponse, listIn } from "../core/response-data.js";
import type { APIResponse } from "../core/transport.js";
import { API_TYPES } from "../models/catalog.js";
import type { ModelInfo } from "./models.js";

const namespaceOfType: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(API_TYPES).map(([short, long]) => [long, short]));

/** The models of a `GET /models` answer (`{ models: [...] }`, enveloped or not); entries without a slug are skipped. */
export function readModelList(response: APIResponse): ModelInfo[] {
  const rows = listIn(response.data, ["models", "data", "items"]);
  if (!rows) throw invalidResponse(response, "{ models: [...] }");
  return rows.flatMap((row) => toModelInfo(row) ?? []);
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
