import { apiPrefix } from "../core/base-url.js";

/** The HTTP methods the proxy forwards. */
export type ProxyMethod = "GET" | "POST" | "DELETE";

/** What a forwarded request carries: a JSON object, a multipart file upload, or nothing. */
export type ProxyBodyKind = "json" | "multipart" | "none";

/** An allowed upstream call. */
export interface ProxyRoute {
  method: ProxyMethod;
  /** The upstream path and query after the base URL, e.g. `api/v1/tasks/task-1`. */
  path: string;
  body: ProxyBodyKind;
  /** A call on the team's file store that lists or deletes uploads: allowed only within `fileScope`. */
  files?: { list: true } | { delete: string };
}

/** The calls allowed on one path, by method. */
export type RouteMatch = Partial<Record<ProxyMethod, ProxyRoute>>;

/**
 * First segments after `/api/v1` that are API areas, never a provider: a
 * `POST /api/v1/apikey/validate` is not a submit and is not forwarded.
 */
const reserved = new Set(["apikey", "media", "models", "tasks", "team"]);

/**
 * A path segment the proxy passes on: letters, digits, `-`, `_`, `.` and `~`
 * (URL-safe as they are), not starting with a dot, at most 256 characters.
 * So no `/`, `\`, `%`, `?`, `#`, `.` or `..` (raw or encoded) reaches the upstream path.
 */
const segmentPattern = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,255}$/;

/**
 * The allow-list, for the path after the proxy's prefix (still encoded) and its query:
 * - `POST api/v1/{provider}/{model_id}` and its alias `.../async` (JSON), a paid submit;
 * - `GET api/v1/tasks/{task_id}`;
 * - `GET api/v1/models`, with `featured=true|false` passed on and any other query dropped;
 * - `POST api/v1/media/files` (multipart), `GET api/v1/media/files`, `DELETE api/v1/media/files/{file_id}`.
 *
 * Each segment is percent-decoded once and must match a strict pattern, so
 * the upstream path is always one of these shapes. Anything else is undefined.
 */
export function matchRoute(rest: string, query: URLSearchParams): RouteMatch | undefined {
  const segments = decodeSegments(rest);
  if (!segments || segments.length < 3 || `${segments[0]}/${segments[1]}` !== apiPrefix) return undefined;
  const [first, second, third, ...extra] = segments.slice(2) as [string, string | undefined, string | undefined, ...string[]];
  const at = (...parts: string[]) => [apiPrefix, ...parts].join("/");
  if (first === "models" && second === undefined) {
    const featured = query.get("featured");
    const search = featured === "true" || featured === "false" ? `?featured=${featured}` : "";
    return { GET: { method: "GET", path: `${at("models")}${search}`, body: "none" } };
  }
  if (first === "tasks" && second !== undefined && third === undefined) {
    return { GET: { method: "GET", path: at("tasks", second), body: "none" } };
  }
  if (first === "media" && second === "files" && extra.length === 0) {
    if (third === undefined) {
      return {
        GET: { method: "GET", path: at("media", "files"), body: "none", files: { list: true } },
        POST: { method: "POST", path: at("media", "files"), body: "multipart" },
      };
    }
    return { DELETE: { method: "DELETE", path: at("media", "files", third), body: "none", files: { delete: third } } };
  }
  const alias = third === undefined || (third === "async" && extra.length === 0);
  if (!reserved.has(first) && second !== undefined && alias) {
    return { POST: { method: "POST", path: at(first, second, ...(third ? [third] : [])), body: "json" } };
  }
  return undefined;
}

/** The path's segments, each decoded once and checked, or undefined when one is not allowed. */
function decodeSegments(rest: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of rest.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (!segmentPattern.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}
