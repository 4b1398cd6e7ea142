import { HttpResponse, type HttpHandler, http } from "msw";
import type { FakeModellix } from "./fake-modellix.js";
import { networkFailureOf } from "./network-errors.js";

/** Options of {@link createFakeHandlers}. */
export interface FakeHandlersOptions {
  /**
   * The SDK's base URL: an origin (default `https://api.modellix.ai`), with the
   * fake's `prefix` as its path when it has one. A trailing `/api/v1` is ignored,
   * as the SDK ignores it. Every request to this origin goes to the fake.
   */
  baseURL?: string;
}

/**
 * msw v2 handlers that forward every request for the base URL's origin (the API,
 * generated files under `/files/` and uploaded ones under `/uploads/`) to `fake`.
 * Connection faults become `HttpResponse.error()`.
 *
 * @example
 * ```ts
 * const fake = new FakeModellix();
 * const server = setupServer(...createFakeHandlers(fake));
 * const client = new Modellix({ apiKey: "test" }); // https://api.modellix.ai, answered by the fake
 * ```
 */
export function createFakeHandlers(fake: FakeModellix, options: FakeHandlersOptions = {}): HttpHandler[] {
  const base = new URL(options.baseURL ?? "https://api.modellix.ai");
  const path = base.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  if (path !== fake.prefix) {
    throw new Error(`createFakeHandlers: baseURL path "${path}" differs from the fake's prefix "${fake.prefix}"`);
  }
  return [
    http.all(`${base.origin}/*`, async ({ request }) => {
      const response = await fake.handle(request);
      return networkFailureOf(response) === undefined ? response : HttpResponse.error();
    }),
  ];
}
