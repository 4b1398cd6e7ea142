import { RequestTimeoutError } from "../core/errors.js";
import { withinDeadline } from "../core/http.js";
import { limitedBody } from "../core/limited-body.js";
import { errorCode, failedBeforeSending } from "../core/network-errors.js";
import { errorResponse, forwardResponse } from "./responses.js";

/** One call to Modellix, as the proxy makes it. */
export interface UpstreamCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | FormData | undefined;
}

/** How the proxy calls Modellix. */
export interface UpstreamLimits {
  fetch: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Aborts the call when the browser goes away. */
  signal: AbortSignal;
  redact: (text: string) => string;
}

/** The error a body over `maxResponseBytes` fails with while it is read. */
class TooLargeError extends Error {}

/**
 * Makes the call and turns the answer into the browser's response. Redirects
 * are not followed: a 3xx answers 502, so a paid POST is never sent twice nor
 * turned into a GET. The timeout covers sending and the whole answer (504);
 * an answer over `maxResponseBytes` decoded bytes answers 502. When Modellix
 * could not be reached at all the proxy answers 503, any other failure 502. A
 * browser client reads either as an unknown outcome for a submit (it cannot
 * tell the proxy's 503 from Modellix's own), so it never pays twice.
 */
export async function callUpstream(call: UpstreamCall, limits: UpstreamLimits): Promise<Response> {
  try {
    return await withinDeadline({ timeoutMs: limits.timeoutMs, signal: limits.signal }, async (signal) => {
      const upstream = await limits.fetch(call.url, { method: call.method, headers: call.headers, body: call.body, redirect: "manual", signal });
      if (upstream.type === "opaqueredirect" || (upstream.status >= 300 && upstream.status < 400)) {
        void upstream.body?.cancel().catch(() => undefined);
        return errorResponse(502, "Bad Gateway: Modellix answered with a redirect, which the Modellix proxy does not follow");
      }
      const tooLarge = () => new TooLargeError();
      const body = await textUntilAborted(limitedBody(upstream, { maxBytes: limits.maxResponseBytes, tooLarge }), signal);
      return forwardResponse(upstream, body, limits.redact);
    });
  } catch (error) {
    if (error instanceof RequestTimeoutError) {
      return errorResponse(504, `Gateway Timeout: Modellix did not answer the proxy within ${limits.timeoutMs} ms`);
    }
    if (error instanceof TooLargeError || hasCause(error, TooLargeError)) {
      return errorResponse(502, `Bad Gateway: the answer from Modellix is larger than the proxy's maxResponseBytes (${limits.maxResponseBytes})`);
    }
    return failedBeforeSending(errorCode(error))
      ? errorResponse(503, "Service Unavailable: the Modellix proxy could not connect to Modellix")
      : errorResponse(502, "Bad Gateway: the Modellix proxy lost its connection to Modellix");
  }
}

/**
 * A body's text, read until it ends or `signal` aborts: the deadline holds
 * even with a `fetch` whose bodies ignore the abort once the headers came.
 */
async function textUntilAborted(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<string> {
  const reader = body.getReader();
  let reject!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, rejectWith) => {
    reject = rejectWith;
  });
  const onAbort = () => reject(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** True when `error` or one of its causes is a `type`. */
function hasCause(error: unknown, type: new () => Error): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof type) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
