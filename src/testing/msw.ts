import { HttpResponse, type HttpHandler, http } from "msw";
import type { FakeModellix } from "./fake-modellix.js";
import { networkFailureOf } from "./network-errors.js";

/** Options of {@link createFakeHandlers}. */
export interface FakeHandlersOptions {
  /** The SDK's base URL; every request to its origin goes to the fake. Default `https://api.modellix.ai/api/v1`. */
  baseURL?: string;
}

/**
 * msw v2 handlers that forward every request for the base URL's origin (API and
 * `/files/`) to `fake`. Connection faults become `HttpResponse.error()`.
 *
 * @example
 * ```ts
 * const fake = new FakeModellix();
 * const server = setupServer(...createFakeHandlers(fake));
 * ```
 */
export function createFakeHandlers(fake: FakeModellix, options: FakeHandlersOptions = {}): HttpHandler[] {
  const base = new URL(options.baseURL ?? "https://api.modellix.ai/api/v1");
  const basePath = base.pathname.replace(/\/+$/, "");
  if (basePath !== fake.basePath) {
    throw new Error(`createFakeHandlers: baseURL path "${basePath}" differs from the fake's basePath "${fake.basePath}"`);
  }
  return [
    http.all(`${base.origin}/*`, async ({ request }) => {
      const response = await fake.handle(request);
      return networkFailureOf(response) === undefined ? response : HttpResponse.error();
    }),
  ];
}
