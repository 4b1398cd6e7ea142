/**
 * Next.js (App Router) route handler: the browser SDK's calls go through here and
 * on to Modellix with the server's key. Only task submits and task reads pass.
 *
 *   Server environment: MODELLIX_API_KEY (and MODELLIX_BASE_URL, if not the default).
 *   In the page:        const client = new Modellix({ baseURL: "/api/modellix" }); // no key
 */
import { createProxy } from "modellix/proxy";

export const { GET, POST } = createProxy({
  // Who may spend your key: here, requests carrying a session cookie. Use your app's real session check.
  authorize: (request) => /(?:^|;\s*)session=[^;]+/.test(request.headers.get("cookie") ?? ""),
});
