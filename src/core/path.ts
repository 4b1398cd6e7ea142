import { ValidationError } from "./errors.js";

/**
 * Joins caller-supplied values into a request path, each one URL-encoded as a
 * single segment, so a task id like `a/../b?x` can never change the route.
 * Empty, `.` and `..` segments (which URLs would resolve away) are refused.
 */
export function pathOf(...segments: string[]): string {
  return segments
    .map((segment) => {
      if (segment === "" || segment === "." || segment === "..") {
        throw new ValidationError([{ path: "", message: `${JSON.stringify(segment)} cannot be used as a path segment (task id or model)` }]);
      }
      return encodeURIComponent(segment);
    })
    .join("/");
}
