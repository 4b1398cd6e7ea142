/** One HTTP request, as ky sends it for the SDK: its options, its instances, and what its failures become. */
import ky, { type Hooks, type KyInstance, isHTTPError, isTimeoutError } from "ky";
import { InvalidResponseError, type ModellixError, RequestTimeoutError } from "./errors.js";
import { readLimited } from "./limited-body.js";
import { connectionFailure } from "./network-errors.js";
import { anySignal } from "./signals.js";
import { abortErrorFrom } from "./sleep.js";

/** Per-call request options. */
export interface RequestOptions {
  /** Aborts the call (and its retries) with the SDK's `UserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms, covering the answer's body; `Infinity` for none. */
  timeout?: number | undefined;
  /** Retries after the first attempt. */
  maxRetries?: number | undefined;
  /** Extra request headers (they cannot replace `Authorization`). */
  headers?: Record<string, string> | undefined;
}

/**
 * Hooks around every HTTP request the client sends (API calls, uploads, file
 * downloads), e.g. for tracing. Each runs once per attempt; retries run them again.
 */
export interface RequestHooks {
  /** Before an attempt is sent: return a changed `Request` to send that instead, or a `Response` to answer without the network. */
  beforeRequest?: Array<(request: Request) => Request | Response | undefined | Promise<Request | Response | undefined>>;
  /** After an answer arrives: return a `Response` to use that instead. */
  afterResponse?: Array<(request: Request, response: Response) => Response | undefined | Promise<Response | undefined>>;
}

/** What the ky instances are built from. */
export interface HttpConfig {
  /** The client's `fetch` (default: `globalThis.fetch`, looked up when a request is sent). */
  fetch: typeof fetch | undefined;
  hooks: RequestHooks | undefined;
  /** Largest API answer accepted, decoded, in bytes. */
  maxResponseBytes: number;
}

/** The ky instances of one client. Both throw ky's `HTTPError` for an error status and never retry (p-retry does). */
export interface HttpInstances {
  /** For API answers: the whole body is read (up to `maxResponseBytes`) before ky resolves, so ky's `timeout` covers it. */
  answers: KyInstance;
  /** For result files: resolves with the headers, `timeout` covers only them, and the caller streams the body. */
  files: KyInstance;
}

/** Builds the client's ky instances: its `fetch` and hooks, ky's own retries off. */
export function createHttp(config: HttpConfig): HttpInstances {
  // Called on globalThis: browsers throw "Illegal invocation" for a detached window.fetch.
  const send = (input: RequestInfo | URL, init?: RequestInit) => (config.fetch ?? globalThis.fetch).call(globalThis, input, init);
  const files = ky.create({ retry: 0, hooks: kyHooks(config.hooks), fetch: send });
  return { answers: files.extend({ fetch: readingWhole(send, config.maxResponseBytes) }), files };
}

/** ky's `timeout` option for the SDK's: `false` (none) for `Infinity`. */
export function kyTimeout(timeoutMs: number): number | false {
  return Number.isFinite(timeoutMs) ? timeoutMs : false;
}

/** What a failed request's error is built from. */
export interface FailureContext {
  /** The caller's signal: once it aborted, any failure is its `UserAbortError`. */
  signal: AbortSignal | undefined;
  /** The timeout that applied, for a {@link RequestTimeoutError}. */
  timeoutMs: number;
  redact: (text: string) => string;
}

/**
 * ky's answer, an error status included (ky's `HTTPError` carries that
 * response, for the caller to read its body into a typed error), or the SDK's
 * error for a request that got no answer: ky's timeout as {@link RequestTimeoutError},
 * the caller's abort as `UserAbortError`, anything else as a `ConnectionError`.
 */
export async function responseOf(request: Promise<Response>, context: FailureContext): Promise<Response> {
  try {
    return await request;
  } catch (error) {
    if (isHTTPError(error)) return error.response;
    throw failureOf(error, context);
  }
}

function failureOf(error: unknown, { signal, timeoutMs, redact }: FailureContext): ModellixError {
  if (isTimeoutError(error)) return signal?.aborted ? abortErrorFrom(signal) : new RequestTimeoutError(timeoutMs);
  return connectionFailure(error, signal, redact);
}

/** A 3xx, or the opaque answer a browser gives for `redirect: "manual"`. */
export function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
}

/** Drops any `Authorization` header a caller passes: the key is the client's to send. */
export function withoutAuthorization(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers) return {};
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

/**
 * A `fetch` that resolves only once the whole body has arrived (at most
 * `maxBytes` decoded; a larger one fails with {@link InvalidResponseError}):
 * ky's `timeout` covers the time to a response, so reading the body inside
 * the fetch ky calls puts the body under the same timeout, and its abort.
 * A redirect, whose body nobody reads, comes as it is.
 */
function readingWhole(send: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await send(input, init);
    if (response.body === null || isRedirect(response)) return response;
    const tooLarge = () => new InvalidResponseError({ status: response.status, message: `Invalid Response: the body is larger than maxResponseBytes (${maxBytes})` });
    const body = await readLimited(response, maxBytes, tooLarge);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The client's hooks in ky's shapes (ky's own types stay out of the public API). */
function kyHooks(hooks: RequestHooks | undefined): Hooks | undefined {
  if (!hooks) return undefined;
  return {
    beforeRequest: hooks.beforeRequest?.map((hook) => (request: Request) => hook(request)),
    afterResponse: hooks.afterResponse?.map((hook) => (request: Request, _options: unknown, response: Response) => hook(request, response)),
  };
}

/** Longest delay a timer can hold (2³¹ − 1 ms); larger values fire at once in Node. */
export const maxTimerMs = 2 ** 31 - 1;

/** The abort reason of a request whose `timeoutMs` elapsed. */
const timedOut = Symbol("modellix timeout");

/**
 * Runs one request, given a signal that aborts it, bounded by `timeoutMs`
 * (covering the headers and the body `run` reads; `Infinity` for none) and by
 * the caller's `signal`. A timeout rejects with {@link RequestTimeoutError}, an abort
 * with the signal's reason, also when `run` ignores the signal (a custom fetch
 * may); everything else is rethrown as it was raised. Its listener lives as
 * long as the request: a long-lived caller's signal keeps nothing of it.
 */
export async function withinDeadline<T>(
  limits: { timeoutMs: number; signal?: AbortSignal | undefined },
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeoutMs, signal } = limits;
  const controller = new AbortController();
  const stop = anySignal(controller.signal, signal);
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(timedOut), timeoutMs) : undefined;
  let onStop: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onStop = () => reject(stop.reason);
    if (stop.aborted) onStop();
    else stop.addEventListener("abort", onStop, { once: true });
  });
  try {
    return await Promise.race([run(stop), stopped]);
  } catch (error) {
    throw controller.signal.reason === timedOut ? new RequestTimeoutError(timeoutMs) : error;
  } finally {
    clearTimeout(timer);
    if (onStop) stop.removeEventListener("abort", onStop);
  }
}
