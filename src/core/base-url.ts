import { ModellixError } from "./errors.js";

/** The public API's base URL. */
export const defaultBaseURL = "https://api.modellix.ai/api/v1";

/**
 * Checks a base URL and returns it without a trailing slash: https, plain http
 * only for localhost, no credentials. In a browser a same-origin path such as
 * `/api/modellix` resolves against the page's origin.
 */
export function checkBaseURL(baseURL: string): string {
  if (baseURL.startsWith("/") && !baseURL.startsWith("//")) {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    if (origin) return new URL(baseURL, origin).href.replace(/\/+$/, "");
  }
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new ModellixError(`baseURL ${JSON.stringify(baseURL)} is not a valid URL.`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    throw new ModellixError(`baseURL must use https (plain http is allowed only for localhost): ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password) throw new ModellixError("baseURL must not contain credentials.");
  return url.href.replace(/\/+$/, "");
}
