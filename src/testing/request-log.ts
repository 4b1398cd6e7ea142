import type { FakeFault } from "./faults.js";
import type { FakeRouteKind } from "./routes.js";

/** One request as the fake received it, for assertions in tests. */
export interface FakeRequestRecord {
  /** Upper-case method. */
  readonly method: string;
  /** Pathname with each segment decoded once, e.g. `/api/v1/tasks/a/b` for `/api/v1/tasks/a%2Fb`. */
  readonly path: string;
  /** Pathname as received, still encoded. */
  readonly rawPath: string;
  /** The query string including `?`, or `""`. */
  readonly query: string;
  /** What the path addresses, e.g. `"submit"` or `"task"` (see {@link FakeRouteKind}). */
  readonly route: FakeRouteKind;
  /** Headers with lower-case names; `authorization` redacted to `"Bearer ***"`. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body parsed as JSON, or its text when it is not JSON, or undefined when empty.
   * A multipart upload shows its fields, a file as `{ filename, contentType, size }`.
   */
  readonly body: unknown;
  /** Arrival time on the fake's clock (ms). */
  readonly at: number;
  /** The HTTP status answered; 0 for a dropped or refused connection (or while still in flight). */
  readonly status: number;
  /** The `X-Request-Id` answered. */
  readonly requestId: string;
  /** The kind of the injected fault applied to this request, if any. */
  readonly fault: FakeFault["kind"] | undefined;
}

/** Headers as a plain object, with the credential in `Authorization` replaced by `***`. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = name === "authorization" ? redactCredential(value) : value;
  });
  return out;
}

function redactCredential(value: string): string {
  const scheme = /^(\S+)\s+\S/.exec(value.trim());
  return scheme ? `${scheme[1]} ***` : "***";
}
