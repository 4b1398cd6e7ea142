import { ModellixError } from "./errors.js";

/** The public API's origin. */
export const defaultBaseURL = "https://api.modellix.ai";

/** The path every API route starts with, under the base URL. */
export const apiPrefix = "api/v1";

/**
 * Checks a base URL and returns it without a trailing slash or `/api/v1`: an
 * origin (`https://api.modellix.ai`), or an origin with a proxy's path prefix
 * (`https://app.example/api/modellix`). https only, plain http for localhost,
 * no credentials. In a browser a same-origin path such as `/api/modellix`
 * resolves against the page's origin.
 */
export function checkBaseURL(baseURL: string): string {
  return withoutApiPrefix(resolve(baseURL));
}

function resolve(baseURL: string): string {
  if (baseURL.startsWith("/") && !baseURL.startsWith("//")) {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    if (origin) return new URL(baseURL, origin).href;
  }
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new ModellixError(`baseURL ${JSON.stringify(baseURL)} is not a valid URL: use an origin such as https://api.modellix.ai.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLocalHost(url.hostname))) {
    throw new ModellixError(`baseURL must use https (plain http is allowed only for localhost): ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password || url.search || url.hash) throw new ModellixError("baseURL must not carry credentials, a query or a fragment.");
  return url.href;
}

/** True for a host name of this machine (`localhost`, `127.0.0.1`, `[::1]`, `*.localhost`): the one place plain http is allowed. */
export function isLocalHost(hostname: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(hostname) || hostname.endsWith(".localhost");
}

/** `https://x/api/v1/` → `https://x`: earlier versions of this SDK took the `/api/v1` URL. */
function withoutApiPrefix(href: string): string {
  return href.replace(/\/+$/, "").replace(/\/api\/v1$/i, "");
}
