import { checkBaseURL, defaultBaseURL } from "../core/base-url.js";
import { readEnv } from "../core/env.js";
import { errorCode, failedBeforeSending } from "../core/network-errors.js";
import { isJsonObject, readLimitedText } from "./body.js";
import { errorResponse, forwardResponse } from "./responses.js";
import { type ProxyRoute, matchRoute } from "./routes.js";

/**
 * What {@link ProxyOptions.authorize} answers: `true` (or nothing) lets the
 * call through, `false` answers 403, a `Response` is sent back as it is.
 * Throwing answers 401.
 */
export type AuthorizeResult = boolean | Response | undefined;

/** Options of {@link createProxy}. */
export interface ProxyOptions {
  /** The server-side API key. Default: the `MODELLIX_API_KEY` environment variable, read on every request. */
  apiKey?: string | undefined;
  /** Where calls are forwarded. Default `MODELLIX_BASE_URL`, else `https://api.modellix.ai/api/v1`. */
  baseURL?: string | undefined;
  /** The fetch used to call Modellix (default `globalThis.fetch`). */
  fetch?: typeof fetch | undefined;
  /**
   * Decides whether a browser request may spend your key, e.g. by checking the
   * session cookie. Called before the body is read. See {@link AuthorizeResult}.
   */
  authorize?: ((request: Request) => AuthorizeResult | Promise<AuthorizeResult>) | undefined;
  /** Largest request body forwarded, in bytes; larger ones get 413 (default 262144, 256 KiB). */
  maxBodyBytes?: number | undefined;
  /** The path the proxy is mounted at (default `/api/modellix`); the client's `baseURL` is this path. */
  prefix?: string | undefined;
}

/** A fetch-standard handler: Next.js route handlers, Hono, Bun, Deno, Cloudflare Workers and `toNodeHandler()`. */
export type ProxyHandler = (request: Request) => Promise<Response>;

/** The proxy handler, also as `GET` and `POST` for a Next.js route file: `export const { GET, POST } = createProxy();`. */
export interface ModellixProxy extends ProxyHandler {
  /** The same handler, for `export const { GET, POST } = createProxy()`. */
  readonly GET: ProxyHandler;
  /** The same handler, for `export const { GET, POST } = createProxy()`. */
  readonly POST: ProxyHandler;
}

const defaultMaxBodyBytes = 256 * 1024;

/**
 * A server-side proxy that lets a browser use the SDK without an API key:
 * `new Modellix({ baseURL: "/api/modellix" })` in the page, this on the server.
 *
 * It forwards only `POST {prefix}/{type}/{provider}/{model}/async` (submit) and
 * `GET {prefix}/tasks/{id}` (task read), adding `Authorization: Bearer <key>`;
 * other paths answer 404, other methods 405, bodies over `maxBodyBytes` 413.
 * The browser's `Authorization`, cookies and other headers are never forwarded,
 * and the key never appears in a response.
 *
 * @example
 * ```ts
 * // app/api/modellix/[...path]/route.ts (Next.js)
 * import { createProxy } from "modellix/proxy";
 * export const { GET, POST } = createProxy({ authorize: (request) => isSignedIn(request) });
 * ```
 */
export function createProxy(options: ProxyOptions = {}): ModellixProxy {
  const baseURL = checkBaseURL(options.baseURL ?? readEnv().MODELLIX_BASE_URL ?? defaultBaseURL);
  const prefix = `/${(options.prefix ?? "/api/modellix").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const upstreamFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  const handler = async (request: Request): Promise<Response> => {
    const pathname = new URL(request.url).pathname;
    const route = pathname.startsWith(`${prefix}/`) ? matchRoute(pathname.slice(prefix.length + 1)) : undefined;
    if (!route) return errorResponse(404, "Not Found: the Modellix proxy forwards only task submits and task reads");
    if (request.method !== route.method) {
      return errorResponse(405, `Method Not Allowed: use ${route.method} here`, { allow: route.method });
    }
    const denied = await checkAuthorization(options.authorize, request);
    if (denied) return denied;
    const body = route.method === "POST" ? await readLimitedText(request, maxBodyBytes) : "";
    if (body === undefined) return errorResponse(413, `Payload Too Large: the body exceeds ${maxBodyBytes} bytes`);
    if (route.method === "POST" && !isJsonObject(body)) return errorResponse(400, "Bad Request: the body must be a JSON object");
    const apiKey = options.apiKey ?? readEnv().MODELLIX_API_KEY;
    if (!apiKey || /[\s\0]/.test(apiKey)) {
      return errorResponse(500, "Internal Server Error: the Modellix proxy has no usable API key; set MODELLIX_API_KEY on the server");
    }
    return forward(upstreamFetch, `${baseURL}/${route.path}`, route, body, apiKey, request.signal);
  };
  return Object.assign(handler, { GET: handler, POST: handler });
}

/** Runs the `authorize` hook: undefined to go on, else the answer to send. */
async function checkAuthorization(authorize: ProxyOptions["authorize"], request: Request): Promise<Response | undefined> {
  if (!authorize) return undefined;
  let result: AuthorizeResult;
  try {
    result = await authorize(request);
  } catch {
    return errorResponse(401, "Unauthorized: sign in to use Modellix through this proxy");
  }
  if (result instanceof Response) return result;
  return result === false ? errorResponse(403, "Forbidden: this request may not use Modellix through this proxy") : undefined;
}

/** Sends the allowed call upstream with the server's key and nothing of the browser's but the body. */
async function forward(
  upstreamFetch: typeof fetch,
  url: string,
  route: ProxyRoute,
  body: string,
  apiKey: string,
  signal: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${apiKey}` };
  if (route.method === "POST") headers["content-type"] = "application/json";
  try {
    const upstream = await upstreamFetch(url, { method: route.method, headers, signal, ...(route.method === "POST" ? { body } : {}) });
    return await forwardResponse(upstream, apiKey);
  } catch (error) {
    // 503 tells the SDK that nothing reached Modellix, so even a paid submit may be retried; 502 may have.
    return failedBeforeSending(errorCode(error))
      ? errorResponse(503, "Service Unavailable: the Modellix proxy could not connect to Modellix")
      : errorResponse(502, "Bad Gateway: the Modellix proxy lost its connection to Modellix");
  }
}
