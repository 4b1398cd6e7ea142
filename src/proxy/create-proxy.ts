import { jsonObjectText, readLimitedBytes, uploadForm } from "./body.js";
import { crossSiteRefusal, mediaTypeRefusal } from "./csrf.js";
import { fileScopeOf, scopedFileList } from "./file-scope.js";
import { type AuthorizeResult, type ProxyConfig, type ProxyOptions, resolveOptions } from "./options.js";
import { keyRedactor } from "./redact.js";
import { errorResponse } from "./responses.js";
import { type ProxyRoute, matchRoute } from "./routes.js";
import { type UpstreamCall, callUpstream } from "./upstream.js";

/** A fetch-standard handler: Next.js route handlers, Hono, Bun, Deno, Cloudflare Workers and `toNodeHandler()`. */
export type ProxyHandler = (request: Request) => Promise<Response>;

/** The proxy handler, also as `GET`, `POST` and `DELETE` for a Next.js route file. */
export interface ModellixProxy extends ProxyHandler {
  /** The same handler, for `export const { GET, POST, DELETE } = createProxy()`. */
  readonly GET: ProxyHandler;
  /** The same handler, for `export const { GET, POST, DELETE } = createProxy()`. */
  readonly POST: ProxyHandler;
  /** The same handler, for `export const { GET, POST, DELETE } = createProxy()` (deleting an uploaded file). */
  readonly DELETE: ProxyHandler;
}

/**
 * A server-side proxy that lets a browser use the SDK without an API key:
 * `new Modellix({ baseURL: "/api/modellix" })` in the page, this on the server.
 * The client requests `{prefix}/api/v1/...`; the proxy strips its prefix, adds
 * `Authorization: Bearer <key>` and forwards to the Modellix API.
 *
 * Forwarded, and nothing else (other paths 404, other methods 405):
 * - `POST /api/v1/{provider}/{model_id}` and `.../async` (a submit; JSON object, at most `maxBodyBytes`);
 * - `GET /api/v1/tasks/{task_id}`;
 * - `GET /api/v1/models` (with `?featured=true|false`);
 * - `POST /api/v1/media/files` (multipart, one `file` field, at most `maxUploadBytes`),
 *   `GET /api/v1/media/files`, `DELETE /api/v1/media/files/{file_id}`.
 *
 * `/api/v1/apikey/validate` and `/api/v1/team/balance` are server-side only and
 * never forwarded. Cross-site requests (`Sec-Fetch-Site`, `Origin`) answer 403,
 * a submit that is not `application/json` or an upload that is not
 * `multipart/form-data` answers 415. The browser's `Authorization`, cookies
 * and other headers are never forwarded; only `Content-Type`, `Retry-After`,
 * `X-Request-Id` and `X-RateLimit-*` come back, and the key is scrubbed from
 * them and from the body. Redirects from upstream are not followed (502).
 *
 * @throws {ValidationError} when an option is out of range.
 * @throws {ModellixError} when `baseURL` is not a usable https URL.
 * @example
 * ```ts
 * // app/api/modellix/[...path]/route.ts (Next.js)
 * import { createProxy } from "modellix/proxy";
 * export const { GET, POST, DELETE } = createProxy({ authorize: (request) => isSignedIn(request) });
 * ```
 */
export function createProxy(options: ProxyOptions = {}): ModellixProxy {
  const config = resolveOptions(options);
  const handler = (request: Request): Promise<Response> => handle(config, request);
  return Object.assign(handler, { GET: handler, POST: handler, DELETE: handler });
}

async function handle(config: ProxyConfig, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const prefix = `${config.prefix}/`;
  const match = url.pathname.startsWith(prefix) ? matchRoute(url.pathname.slice(prefix.length), url.searchParams) : undefined;
  if (!match) return errorResponse(404, "Not Found: the Modellix proxy forwards only submits, task reads, the model list and media files");
  const route = (match as Record<string, ProxyRoute | undefined>)[request.method];
  if (!route) {
    const allow = Object.keys(match).join(", ");
    return errorResponse(405, `Method Not Allowed: use ${allow} here`, { allow });
  }
  const crossSite = crossSiteRefusal(request, config.allowedOrigins);
  if (crossSite) return errorResponse(403, `Forbidden: ${crossSite}`);
  const mediaType = mediaTypeRefusal(request, route.body);
  if (mediaType) return errorResponse(415, `Unsupported Media Type: ${mediaType}`);
  const denied = await checkAuthorization(config.authorize, request);
  if (denied) return denied;
  const files = await fileScopeOf(route, request, config.fileScope);
  if (files instanceof Response) return files;
  const apiKey = config.apiKey();
  if (!apiKey || /[^\x21-\x7e]/.test(apiKey)) {
    return errorResponse(500, "Internal Server Error: the Modellix proxy has no usable API key; set MODELLIX_API_KEY on the server");
  }
  const body = await readBody(config, request, route);
  if (body instanceof Response) return body;
  const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${apiKey}` };
  if (route.body === "json") headers["content-type"] = "application/json";
  const call: UpstreamCall = { url: `${config.baseURL}/${route.path}`, method: route.method, headers, body };
  const answer = await callUpstream(call, {
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    signal: request.signal,
    redact: keyRedactor(apiKey),
  });
  if (!files || !route.files || !("list" in route.files) || !answer.ok) return answer;
  const scoped = scopedFileList(await answer.text(), files);
  if (scoped === undefined) return errorResponse(502, "Bad Gateway: the Modellix file list could not be read to scope it");
  return new Response(scoped, { status: answer.status, headers: answer.headers });
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

/** The body to forward (the JSON text, a fresh upload form, or none), or the error answer. */
async function readBody(config: ProxyConfig, request: Request, route: ProxyRoute): Promise<string | FormData | undefined | Response> {
  if (route.body === "none") return undefined;
  const limit = route.body === "json" ? config.maxBodyBytes : config.maxUploadBytes;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = await readLimitedBytes(request, limit);
  } catch {
    return errorResponse(400, "Bad Request: the request body could not be read");
  }
  if (bytes === undefined) return errorResponse(413, `Payload Too Large: the body exceeds ${limit} bytes`);
  if (route.body === "json") return jsonObjectText(bytes) ?? errorResponse(400, "Bad Request: the body must be a JSON object");
  const form = await uploadForm(bytes, request.headers.get("content-type") ?? "");
  return form ?? errorResponse(400, "Bad Request: the upload must be multipart/form-data with one file in the field `file`");
}
