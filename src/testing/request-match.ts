/** Selects requests by method and path, for faults and for counting the request log. */
export interface FakeRequestMatch {
  /** HTTP method, compared case-insensitively. Any method when omitted. */
  method?: string;
  /**
   * The decoded path (e.g. `/api/v1/tasks/task-1-ab12cd`): a string matches when the
   * path contains it (`"/async"` selects every submit), a RegExp when it tests true.
   * Any path when omitted.
   */
  path?: RegExp | string;
}

/** True when a request with this method and decoded path satisfies `match`. */
export function matchesRequest(match: FakeRequestMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  if (typeof match.path === "string") return path.includes(match.path);
  match.path.lastIndex = 0;
  return match.path.test(path);
}
