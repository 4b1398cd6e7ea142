import type { Reply } from "./envelope.js";

/** CORS headers on every answer, so browser tests can call the fake and read the rate-limit headers. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Expose-Headers": "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Request-Id",
};

/** The answer to a CORS preflight (`OPTIONS`): 204 with the allowed methods. */
export function preflightResponse(headers: Record<string, string>): Response {
  return new Response(null, {
    status: 204,
    headers: { ...headers, "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS", "Access-Control-Max-Age": "600" },
  });
}

/**
 * Serialises a reply. `truncated` cuts the JSON in half and answers 200, as a
 * broken proxy or a dropped stream would.
 */
export function jsonResponse(reply: Reply, headers: Record<string, string>, truncated = false): Response {
  const text = JSON.stringify(reply.body);
  return new Response(truncated ? text.slice(0, Math.ceil(text.length / 2)) : text, {
    status: truncated ? 200 : reply.status,
    headers: { ...headers, ...reply.headers, "Content-Type": "application/json; charset=utf-8" },
  });
}
