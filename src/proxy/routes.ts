import { pathOf } from "../core/path.js";
import { MODEL_TYPES } from "../models/catalog.js";

/** An allowed upstream call: its one method and its path under the API base URL. */
export interface ProxyRoute {
  method: "GET" | "POST";
  path: string;
}

const submitTypes = new Set<string>(MODEL_TYPES.filter((type) => type !== "other"));

/**
 * The allow-list: `POST /{type}/{provider}/{model}/async` and `GET /tasks/{id}`.
 * `rest` is the still-encoded path after the proxy's prefix; each segment is
 * decoded once and encoded again, so an encoded `/` or `..` never changes the
 * upstream path. Anything else is undefined.
 */
export function matchRoute(rest: string): ProxyRoute | undefined {
  const segments = decodeSegments(rest);
  if (!segments) return undefined;
  const [first, second, third, fourth] = segments;
  if (segments.length === 2 && first === "tasks" && second !== undefined) return { method: "GET", path: pathOf(first, second) };
  if (segments.length === 4 && first !== undefined && submitTypes.has(first) && second !== undefined && third !== undefined && fourth === "async") {
    return { method: "POST", path: pathOf(first, second, third, fourth) };
  }
  return undefined;
}

function decodeSegments(rest: string): string[] | undefined {
  try {
    const segments = rest.split("/").map(decodeURIComponent);
    return segments.every((segment) => segment !== "" && segment !== "." && segment !== "..") ? segments : undefined;
  } catch {
    return undefined;
  }
}
