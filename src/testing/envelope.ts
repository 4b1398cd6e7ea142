/** The JSON envelope every Modellix answer except `GET /models` is wrapped in. */
export interface FakeEnvelope {
  /** 0 on success, otherwise the HTTP status (or an application code). */
  code: number;
  /** `"success"`, or `"Category: detail"` on errors. */
  message: string;
  /** The payload; `null` on errors. */
  data: unknown;
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

const CATEGORIES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
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

/** An error answer: the HTTP status, `{ code: status, message: "Category: detail", data: null }`. */
export function fail(status: number, detail: string, headers?: Record<string, string>): Reply {
  return errorReply(status, `${categoryOf(status)}: ${detail}`, headers);
}

/** An error answer whose whole message is given, e.g. by an injected fault. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { code: status, message, data: null }, enveloped: true, ...(headers ? { headers } : {}) };
}
