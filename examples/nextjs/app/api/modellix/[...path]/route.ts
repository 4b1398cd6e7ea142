/**
 * Next.js (App Router) route handler: the browser SDK's calls go through here and
 * on to Modellix with the server's key.
 *
 *   Server environment: MODELLIX_API_KEY (and MODELLIX_BASE_URL, an origin, if not https://api.modellix.ai).
 *   In the page:        const client = new Modellix({ baseURL: "/api/modellix" }); // no key
 *
 * The client requests /api/modellix/api/v1/...; this route strips /api/modellix and forwards
 * only what a page needs: submits, task reads, the model list and media files (upload, list,
 * delete). Key checks and the balance stay server-side. Cross-site requests answer 403.
 */
import { createProxy } from "modellix/proxy";

export const { GET, POST, DELETE } = createProxy({
  // Who may spend your key: here, requests carrying a session cookie. Use your app's real session check.
  authorize: (request) => /(?:^|;\s*)session=[^;]+/.test(request.headers.get("cookie") ?? ""),
  // Behind a reverse proxy that rewrites the Host header, list your site's public origin:
  // allowedOrigins: ["https://app.example.com"],
});
