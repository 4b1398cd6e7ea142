import { type FakeModellix, networkFailureOf } from "modellix/testing";

/**
 * An in-process `fetch` answered by `fake.handle()`, for the soak on fake timers.
 * It behaves as `fake.fetch` does (an aborted request rejects with the signal's
 * reason, a connection fault rejects like Node's fetch with a coded cause), and
 * keeps every request strongly referenced until it settles.
 *
 * The reference matters: a `Request` built from the caller's signal follows it
 * only through a weak link, so a request the fake holds open (`hang`, `delay`)
 * could be garbage-collected, and then the client's timeout abort would never
 * reach it and the call would never settle.
 */
export function heldFetch(fake: FakeModellix): typeof fetch {
  const inFlight = new Set<Request>();
  return async (input, init) => {
    const request = new Request(input, init);
    inFlight.add(request);
    try {
      if (request.signal.aborted) throw request.signal.reason;
      const response = await fake.handle(request);
      if (request.signal.aborted) throw request.signal.reason;
      const failure = networkFailureOf(response);
      if (failure === "refuse") throw connectionFailure("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED");
      if (failure === "reset") throw connectionFailure("socket hang up", "ECONNRESET");
      return response;
    } finally {
      inFlight.delete(request);
    }
  };
}

/** The error Node's fetch (undici) rejects with when a connection fails: `TypeError("fetch failed")` with a coded cause. */
function connectionFailure(message: string, code: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}
