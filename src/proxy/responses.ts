/** Upstream response headers the browser may see; everything else (cookies included) stays behind. */
const forwardedHeaders = ["content-type", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-request-id"];

/** An error in the API's own envelope, `{ code, message: "Category: detail", data: null }`, so the SDK reads it as a typed error. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code: status, message, data: null }), {
    status,
    headers: { ...headers, "cache-control": "no-store", "content-type": "application/json; charset=utf-8" },
  });
}

/** The upstream answer for the browser: its status, its body with the key scrubbed, and only the headers the SDK reads. */
export async function forwardResponse(upstream: Response, apiKey: string): Promise<Response> {
  const text = await upstream.text();
  const headers = new Headers({ "cache-control": "no-store" });
  for (const name of forwardedHeaders) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(text.split(apiKey).join("[redacted]"), { status: upstream.status, headers });
}
