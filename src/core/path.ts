import { ValidationError } from "./errors.js";

/**
 * Joins caller-supplied values into a request path, each one URL-encoded as a
 * single segment, so a task id like `a/../b?x` can never change the route.
 * Empty, `.` and `..` segments (which URLs would resolve away) and text that is
 * not valid Unicode are refused.
 */
export function pathOf(...segments: string[]): string {
  return segments
    .map((segment) => {
      // A lone surrogate is not valid Unicode: encodeURIComponent would throw a URIError.
      if (segment === "" || segment === "." || segment === ".." || /\p{Cs}/u.test(segment)) {
        throw new ValidationError([{ path: "", message: `${JSON.stringify(segment)} cannot be used as a path segment (task id or model)` }]);
      }
      return encodeURIComponent(segment);
    })
    .join("/");
}
