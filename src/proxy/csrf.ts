import { originOf } from "./options.js";
import type { ProxyBodyKind } from "./routes.js";

/**
 * Why a browser request is refused as cross-site, or undefined when it may go on.
 * Refused: `Sec-Fetch-Site: cross-site`, and an `Origin` (including `null`)
 * whose host is not the host the request was addressed to and that is not
 * in `allowedOrigins`. The scheme is not compared, since TLS often ends at a
 * load balancer in front of the server; browsers mark an http page calling
 * https as cross-site. Requests without these headers (servers, scripts)
 * pass: `authorize` is what keeps them out.
 */
export function crossSiteRefusal(request: Request, allowedOrigins: ReadonlySet<string>): string | undefined {
  if (request.headers.get("sec-fetch-site")?.toLowerCase() === "cross-site") return "the Modellix proxy refuses cross-site requests";
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  const parsed = originOf(origin);
  if (parsed !== undefined && (allowedOrigins.has(parsed) || new URL(parsed).host === new URL(request.url).host)) return undefined;
  return "the Modellix proxy refuses requests from another origin (if it is your own site, list it in allowedOrigins)";
}

/** The media type a route's body must declare: JSON for a submit, multipart for an upload, none otherwise. */
const requiredMediaType: Record<ProxyBodyKind, string | undefined> = {
  json: "application/json",
  multipart: "multipart/form-data",
  none: undefined,
};

/**
 * Why a request's `Content-Type` does not fit its route, or undefined when it
 * does. A form or `text/plain` POST, the kinds a page on another site can send
 * without a preflight, is never forwarded.
 */
export function mediaTypeRefusal(request: Request, body: ProxyBodyKind): string | undefined {
  const required = requiredMediaType[body];
  if (required === undefined) return undefined;
  const declared = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  return declared === required ? undefined : `the body must be sent as ${required}`;
}
