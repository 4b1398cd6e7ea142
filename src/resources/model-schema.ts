/** Reading a model's public schema, for `client.models.schema()`. */
import { isRecord } from "../core/envelope.js";
import { pathOf } from "../core/path.js";
import { invalidResponse } from "../core/response-data.js";
import type { WithResponse } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import { loadValidation } from "./submit.js";

/** Where public model schemas are read by default (option `schemaBaseURL`). */
const defaultSchemaOrigin = "https://www.modellix.ai";

/** The OpenAPI document of `slug` (its docs spelling accepted) under `origin`, sent without the API key (see `Models.schema`). */
export async function readSchema(
  transport: Transport,
  origin: string | undefined,
  slug: string,
  options: RequestOptions,
): Promise<WithResponse<Record<string, unknown>>> {
  const { loadModelEntry } = await loadValidation();
  const real = (await loadModelEntry(slug))?.slug ?? slug;
  const url = `${origin ?? defaultSchemaOrigin}/models/${pathOf(...real.split("/"))}/api_schema`;
  const response = await transport.get(url, options, { plain: true });
  if (!isRecord(response.data)) throw invalidResponse(response, "an OpenAPI document");
  return { data: response.data, response: response.response };
}
