/**
 * The JSON envelope every Modellix answer except `GET /models` is wrapped in:
 * `{ code: 0, message: "success", data }`, or on an error
 * `{ code: <HTTP status>, message: "Category: detail" }`, without `data`.
 */
export interface FakeEnvelope {
  /** 0 on success, otherwise the HTTP status (or an application code). */
  code: number;
  /** `"success"`, or `"Category: detail"` on errors (`"Missing required parameter: parameter 'prompt' is required"`). */
  message: string;
  /** The payload of a success; absent on errors. */
  data?: unknown;
}

/** An answer before it becomes a `Response`: status, JSON body and extra headers. */
export interface Reply {
  /** The HTTP status. */
  status: number;
  /** The envelope, or (`GET /models`) a bare JSON object. */
  body: FakeEnvelope | Record<string, unknown>;
  /** True when `body` is an envelope (shape faults then work on its `data`). */
  enveloped: boolean;
  /** Headers beyond the ones every answer carries (`Retry-After`, `Allow`, ...). */
  headers?: Record<string, string>;
}

/**
 * The docs' categories of a 400 answer: `Invalid parameters` (any other bad
 * value), `Missing required parameter`, `Invalid format`, `Value out of range`.
 */
export type BadRequestCategory = "Invalid parameters" | "Missing required parameter" | "Invalid format" | "Value out of range";

/** Why a request is refused with a 400: the docs' category and the detail after it. */
export interface Refusal {
  /** The category, e.g. `"Invalid format"`. */
  category: BadRequestCategory;
  /** The message after the category, e.g. `"parameter 'size' must be in format 'WIDTHxHEIGHT', got '1024'"`. */
  detail: string;
}

/** The category of each error status: the docs' own for 400 (the general one) and 401, the HTTP reason otherwise. */
const CATEGORIES: Readonly<Record<number, string>> = {
  400: "Invalid parameters",
  401: "Authentication failed",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The `"Category"` part of an error message for an HTTP status, e.g. 404 → `"Not Found"`. */
export function categoryOf(status: number): string {
  return CATEGORIES[status] ?? (status >= 500 ? "Internal Server Error" : "Error");
}

/** A success answer: HTTP 200, `{ code: 0, message: "success", data }`. */
export function ok(data: unknown): Reply {
  return { status: 200, body: { code: 0, message: "success", data }, enveloped: true };
}

/** A success answer without the envelope, as `GET /models` answers: HTTP 200 and `body` itself. */
export function bare(body: Record<string, unknown>): Reply {
  return { status: 200, body, enveloped: false };
}

/** An error answer: the HTTP status, `{ code: status, message: "Category: detail" }` (no `data`). */
export function fail(status: number, detail: string, headers?: Record<string, string>): Reply {
  return errorReply(status, `${categoryOf(status)}: ${detail}`, headers);
}

/** A 400 answer in the refusal's own category: `{ code: 400, message: "Invalid format: ..." }`. */
export function badRequest(refusal: Refusal): Reply {
  return errorReply(400, `${refusal.category}: ${refusal.detail}`);
}

/** An error answer whose whole message is given, e.g. by an injected fault. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { code: status, message }, enveloped: true, ...(headers ? { headers } : {}) };
}
