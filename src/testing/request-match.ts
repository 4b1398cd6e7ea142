import type { FakeRouteKind } from "./routes.js";

/** Selects requests by method, path and route, for faults and for counting the request log. */
export interface FakeRequestMatch {
  /** HTTP method, compared case-insensitively. Any method when omitted. */
  method?: string;
  /**
   * The decoded path (e.g. `/api/v1/tasks/task-1-ab12cd`): a string matches when the
   * path contains it (`"/tasks/"` selects every task read), a RegExp when it tests true.
   * Any path when omitted.
   */
  path?: RegExp | string;
  /** What the path addresses: `"submit"` selects every submit, whatever the model. Any route when omitted. */
  route?: FakeRouteKind;
}

/** True when a request with this method, decoded path and route satisfies `match`. */
export function matchesRequest(match: FakeRequestMatch | undefined, method: string, path: string, route: FakeRouteKind): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.route !== undefined && match.route !== route) return false;
  if (match.path === undefined) return true;
  if (typeof match.path === "string") return path.includes(match.path);
  match.path.lastIndex = 0;
  return match.path.test(path);
}
