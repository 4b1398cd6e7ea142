import type * as z from "zod/mini";
import { InvalidResponseError } from "./errors.js";
import type { APIResponse } from "./transport.js";

/** The answer's `data` parsed with `schema`, or an {@link InvalidResponseError} saying what was expected. */
export function parseData<S extends z.ZodMiniType>(schema: S, response: APIResponse, expected: string): z.output<S> {
  const result = schema.safeParse(response.data);
  if (result.success) return result.data;
  throw invalidResponse(response, expected);
}

/** An {@link InvalidResponseError} for a 2xx answer whose `data` is not what was `expected`. */
export function invalidResponse(response: APIResponse, expected: string): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    message: `Invalid Response: expected ${expected}`,
    requestId: response.requestId,
    body: response.data,
  });
}
