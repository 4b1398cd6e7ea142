/** Upstream response headers the browser may see, besides `x-ratelimit-*`; everything else (cookies included) stays behind. */
const forwardedHeaders = new Set(["content-type", "retry-after", "x-request-id"]);

/** Headers on every answer of the proxy: never cached, never sniffed as another type. */
const ownHeaders = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/** An error in the API's own envelope, `{ code, message: "Category: detail", data: null }`, so the SDK reads it as a typed error. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code: status, message, data: null }), {
    status,
    headers: { ...headers, ...ownHeaders, "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * The upstream answer for the browser: its status and its body, with `redact`
 * applied to the body and to each header passed on; only `Content-Type`,
 * `Retry-After`, `X-Request-Id` and `X-RateLimit-*` are passed on.
 */
export function forwardResponse(upstream: Response, body: string, redact: (text: string) => string): Response {
  const headers = new Headers(ownHeaders);
  upstream.headers.forEach((value, name) => {
    if (forwardedHeaders.has(name) || name.startsWith("x-ratelimit-")) headers.set(name, redact(value));
  });
  const empty = upstream.status === 204 || upstream.status === 205;
  return new Response(empty ? null : redact(body), { status: upstream.status, headers });
}
