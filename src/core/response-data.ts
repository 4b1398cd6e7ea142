import { isRecord } from "./envelope.js";
import { InvalidResponseError } from "./errors.js";
import type { APIResponse } from "./transport.js";

/** The answer's `data` as an object, or an {@link InvalidResponseError} saying what was `expected`. */
export function dataRecord(response: APIResponse, expected: string): Record<string, unknown> {
  if (isRecord(response.data)) return response.data;
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

/** The first array among `keys` of an object (or the value itself when it is an array): lists come wrapped in several ways. */
export function listIn(value: unknown, keys: readonly string[]): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return undefined;
  for (const key of keys) {
    const found = value[key];
    if (Array.isArray(found)) return found;
    const nested = isRecord(found) ? listIn(found, keys) : undefined;
    if (nested) return nested;
  }
  return undefined;
}
