/** A connection-level failure: `reset` (dropped mid-request) or `refuse` (nothing was sent). */
export type FakeNetworkFailure = "reset" | "refuse";

const failures = new WeakMap<Response, FakeNetworkFailure>();

/** A network-error `Response` (`Response.error()`, type `"error"`) remembering which failure it stands for. */
export function networkFailure(kind: FakeNetworkFailure): Response {
  const response = Response.error();
  failures.set(response, kind);
  return response;
}

/**
 * Which connection failure a response from {@link FakeModellix.handle} stands for, or
 * undefined for an ordinary HTTP answer. Adapters turn it into a destroyed socket,
 * `HttpResponse.error()` or a rejected fetch.
 */
export function networkFailureOf(response: Response): FakeNetworkFailure | undefined {
  if (response.type !== "error") return undefined;
  return failures.get(response) ?? "reset";
}

/** The error Node's fetch (undici) rejects with for this failure: `TypeError("fetch failed")` with a coded cause. */
export function fetchFailedError(kind: FakeNetworkFailure): TypeError {
  const cause =
    kind === "reset"
      ? Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
      : Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED", syscall: "connect" });
  return new TypeError("fetch failed", { cause });
}
