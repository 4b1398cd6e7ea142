import { checkBaseURL, defaultBaseURL } from "../core/base-url.js";
import { readEnv } from "../core/env.js";
import { ValidationError, type ValidationIssue } from "../core/errors.js";
import { maxTimerMs } from "../core/http.js";

/**
 * What {@link ProxyOptions.authorize} answers: `true` (or nothing) lets the
 * call through, `false` answers 403, a `Response` is sent back as it is.
 * Throwing answers 401.
 */
export type AuthorizeResult = boolean | Response | undefined;

/** Options of `createProxy()`. */
export interface ProxyOptions {
  /** The server-side API key. Default: the `MODELLIX_API_KEY` environment variable, read on every request. */
  apiKey?: string | undefined;
  /**
   * The Modellix API origin calls are forwarded to. Default `MODELLIX_BASE_URL`, else
   * `https://api.modellix.ai`. A value ending in `/api/v1` is accepted; https only
   * (plain http for localhost).
   */
  baseURL?: string | undefined;
  /** The fetch used to call Modellix (default `globalThis.fetch`). It is called with `redirect: "manual"`. */
  fetch?: typeof fetch | undefined;
  /**
   * Decides whether a browser request may spend your key, e.g. by checking the
   * session cookie. Called after the route, origin and content-type checks and
   * before the body is read. See {@link AuthorizeResult}.
   */
  authorize?: ((request: Request) => AuthorizeResult | Promise<AuthorizeResult>) | undefined;
  /**
   * Origins, besides the host the request was addressed to, whose pages may call
   * the proxy (`["https://app.example.com"]`): needed when a reverse proxy in
   * front of your server changes the `Host` header. A request with any other
   * `Origin` answers 403. The proxy sends no CORS headers.
   */
  allowedOrigins?: readonly string[] | undefined;
  /** The path the proxy is mounted at (default `/api/modellix`); the browser client's `baseURL` is this path. */
  prefix?: string | undefined;
  /** Largest JSON body forwarded (a submit), in bytes; larger ones answer 413 (default 262144, 256 KiB). */
  maxBodyBytes?: number | undefined;
  /**
   * Largest file upload forwarded, in bytes of the whole multipart body; larger
   * ones answer 413, refused on `Content-Length` or as soon as the stream
   * passes the limit (default 20971520, 20 MiB). An upload is held in memory
   * until it is complete, then sent on.
   */
  maxUploadBytes?: number | undefined;
  /** Largest answer read from Modellix, in decoded bytes; larger ones answer 502 (default 8388608, 8 MiB). */
  maxResponseBytes?: number | undefined;
  /**
   * Milliseconds one call to Modellix may take, sending the request and reading
   * the whole answer; then the proxy answers 504 (default 60000).
   */
  timeout?: number | undefined;
  /**
   * The uploaded files a request may list and delete. Modellix's file store
   * belongs to the team, not to a user: without this option the proxy forwards
   * uploads only, and answers 403 to `GET /media/files` and
   * `DELETE /media/files/{id}`, so that no signed-in user can see or delete
   * another user's uploads. With it, a list shows only the ids it returns and a
   * delete of any other id answers 404. Keep the ids of each user's uploads in
   * your own store (the upload answer's `file_id`).
   */
  fileScope?: ((request: Request) => Iterable<string> | Promise<Iterable<string>>) | undefined;
}

/** {@link ProxyOptions} checked, with defaults applied. */
export interface ProxyConfig {
  /** The upstream origin (or origin with a path), no trailing slash, no `/api/v1`. */
  baseURL: string;
  /** The mount path, `/api/modellix`, or `""` at the root. */
  prefix: string;
  /** `Origin` values accepted besides the request's own host, as serialized origins. */
  allowedOrigins: ReadonlySet<string>;
  maxBodyBytes: number;
  maxUploadBytes: number;
  maxResponseBytes: number;
  timeoutMs: number;
  fetch: typeof fetch;
  authorize: ProxyOptions["authorize"];
  fileScope: ProxyOptions["fileScope"];
  /** The key for this request, read now (the environment may change). */
  apiKey: () => string | undefined;
}

const defaults = {
  maxBodyBytes: 256 * 1024,
  maxUploadBytes: 20 * 1024 * 1024,
  maxResponseBytes: 8 * 1024 * 1024,
  timeout: 60_000,
} as const;

/** Checks `options` once, when the proxy is created, and fills in the defaults. */
export function resolveOptions(options: ProxyOptions): ProxyConfig {
  const issues: ValidationIssue[] = [];
  const size = (name: "maxBodyBytes" | "maxUploadBytes" | "maxResponseBytes"): number => {
    const value = options[name] ?? defaults[name];
    if (!Number.isSafeInteger(value) || value < 1) issues.push({ path: name, message: "must be a whole number of bytes, 1 or more" });
    return value;
  };
  const timeoutMs = options.timeout ?? defaults.timeout;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > maxTimerMs) {
    issues.push({ path: "timeout", message: `must be a whole number of ms from 1 to ${maxTimerMs}` });
  }
  const allowedOrigins = new Set<string>();
  for (const [index, origin] of (options.allowedOrigins ?? []).entries()) {
    const parsed = originOf(origin);
    if (parsed === undefined) issues.push({ path: `allowedOrigins.${index}`, message: "must be an http(s) origin such as https://app.example.com" });
    else allowedOrigins.add(parsed);
  }
  const config = {
    baseURL: checkBaseURL(options.baseURL ?? readEnv("MODELLIX_BASE_URL") ?? defaultBaseURL),
    prefix: `/${(options.prefix ?? "/api/modellix").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, ""),
    allowedOrigins,
    maxBodyBytes: size("maxBodyBytes"),
    maxUploadBytes: size("maxUploadBytes"),
    maxResponseBytes: size("maxResponseBytes"),
    timeoutMs,
    fetch: options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    authorize: options.authorize,
    fileScope: options.fileScope,
    apiKey: () => options.apiKey ?? readEnv("MODELLIX_API_KEY"),
  };
  if (issues.length > 0) throw new ValidationError(issues, "proxy options");
  return config;
}

/** The serialized origin of an http(s) URL with nothing but scheme, host and port, else undefined. */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    if (url.username || url.password || url.search || url.hash || url.pathname !== "/") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
