/**
 * Next.js (App Router) route handler: the browser SDK's calls go through here and
 * on to Modellix with the server's key.
 *
 *   Server environment: MODELLIX_API_KEY (and MODELLIX_BASE_URL, an origin, if not https://api.modellix.ai).
 *   In the page:        const client = new Modellix({ baseURL: "/api/modellix" }); // no key
 *
 * The client requests /api/modellix/api/v1/...; this route strips /api/modellix and forwards
 * only what a page needs: submits, task reads, the model list and media files. Uploaded files
 * belong to the whole team, so a user lists and deletes only the uploads this app recorded as
 * theirs (`fileScope`). Key checks and the balance stay server-side. Cross-site requests answer 403.
 */
import { createProxy } from "modellix/proxy";

/** The session of a request: here, its cookie. Use your app's real session check. */
const sessionOf = (request: Request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];

/** Each session's uploads, by file id. Keep them in your database. */
const uploads = new Map<string, Set<string>>();

const proxy = createProxy({
  // Who may spend your key: requests of a signed-in session.
  authorize: (request) => sessionOf(request) !== undefined,
  // Which uploads a request may list and delete: its own.
  fileScope: (request) => uploads.get(sessionOf(request) ?? "") ?? [],
  // Behind a reverse proxy that rewrites the Host header, list your site's public origin:
  // allowedOrigins: ["https://app.example.com"],
});

export const { GET, DELETE } = proxy;

/** Submits and uploads; an upload's `file_id` is recorded for its session. */
export async function POST(request: Request): Promise<Response> {
  const session = sessionOf(request);
  const answer = await proxy.POST(request);
  if (session && answer.ok && new URL(request.url).pathname.endsWith("/media/files")) {
    const { data } = (await answer.clone().json()) as { data: { file_id: string } };
    uploads.set(session, (uploads.get(session) ?? new Set()).add(data.file_id));
  }
  return answer;
}
