import {
  APIError,
  AbortError,
  ConnectionError,
  InvalidResponseError,
  ModellixError,
  type RateLimitInfo,
  SubmitOutcomeUnknownError,
  type SubmitOutcomeReason,
  TimeoutError,
} from "./errors.js";
import { readEnvelope } from "./envelope.js";
import { fetchWithin } from "./http.js";
import { limitedBody } from "./limited-body.js";
import type { LevelledLogger } from "./logger.js";
import { RequestPacer } from "./limiter.js";
import { errorCode, failedBeforeSending } from "./network-errors.js";
import { parseRateLimit } from "./rate-limit.js";
import { type RetryPolicy, isRetryableRead, isRetryableSubmit, withRetries } from "./retry.js";
import { abortErrorFrom } from "./sleep.js";

/** Per-call request options. */
export interface RequestOptions {
  /** Aborts the call (and its retries) with the SDK's `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms. */
  timeout?: number | undefined;
  /** Retries after the first attempt. */
  maxRetries?: number | undefined;
}

/** A successful, unwrapped API answer. */
export interface APIResponse {
  /** The envelope's `data`, as received. */
  data: unknown;
  /** HTTP status. */
  status: number;
  /** `X-Request-Id`, when sent. */
  requestId: string | undefined;
  /** Rate-limit headers of this response. */
  rateLimit: RateLimitInfo;
  /** The attempt (1-based) that got this answer. */
  attempt: number;
  /** When that attempt was sent. */
  sentAt: Date;
}

/** What the transport needs from the client's options. */
export interface TransportConfig {
  apiKey: string | undefined;
  baseURL: string;
  timeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof fetch | undefined;
  retryUnsafeSubmits: boolean;
  maxResponseBytes: number;
  throttle: { spacingMs: number; threshold: number; maxWaitMs: number };
  logger: LevelledLogger;
}

/** The model a submit is for, named in a {@link SubmitOutcomeUnknownError}. */
export interface SubmitTarget {
  type: string;
  model: string;
}

/**
 * The HTTP layer: base URL, bearer auth and timeouts over the configured
 * `fetch`, the JSON envelope, rate-limit headers, typed errors and the retry
 * policy. (It speaks fetch directly: an HTTP client such as ky would add ~5 kB
 * gz to the browser bundle for a URL join and a timeout.)
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #config: TransportConfig;
  readonly #pacer: RequestPacer;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#apiKey = config.apiKey;
    this.#pacer = new RequestPacer(config.throttle.spacingMs, config.throttle.threshold, config.throttle.maxWaitMs);
    const fetchImpl = config.fetch;
    // Called on globalThis: browsers throw "Illegal invocation" for a detached window.fetch.
    this.#fetch = (input, init) => (fetchImpl ?? globalThis.fetch).call(globalThis, input, init);
    this.#headers = { accept: "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) };
  }

  /** The rate-limit headers of the latest response, if any carried them. */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#pacer.info;
  }

  /** A GET, retried on 429, 5xx, timeouts and connection errors. */
  get(path: string, options: RequestOptions = {}): Promise<APIResponse> {
    return withRetries((attempt) => this.#send("GET", path, undefined, options, attempt), {
      policy: this.#policy(options),
      retryable: isRetryableRead,
      signal: options.signal,
      onRetry: (info) => this.#logRetry({ method: "GET", path }, info),
    });
  }

  /**
   * A paid POST. Retried only where the server surely did no work (429, 503,
   * connection refused); any other failure after sending becomes a
   * {@link SubmitOutcomeUnknownError} and is never sent again, unless
   * `retryUnsafeSubmits` is on.
   */
  async submit(path: string, body: unknown, target: SubmitTarget, options: RequestOptions = {}): Promise<APIResponse> {
    const unsafe = this.#config.retryUnsafeSubmits;
    let lastAttempt = { number: 0, sentAt: new Date() };
    try {
      return await withRetries(
        (attempt) => {
          lastAttempt = { number: attempt, sentAt: new Date() };
          return this.#send("POST", path, body, options, attempt);
        },
        {
          policy: this.#policy(options),
          retryable: unsafe ? isRetryableRead : isRetryableSubmit,
          signal: options.signal,
          onRetry: (info) => this.#logRetry({ method: "POST", path }, info),
        },
      );
    } catch (error) {
      const reason = uncertainReason(error);
      if (!reason) throw error;
      throw new SubmitOutcomeUnknownError({
        reason,
        attempt: lastAttempt.number,
        sentAt: lastAttempt.sentAt,
        type: target.type,
        model: target.model,
        status: error instanceof APIError ? error.status : undefined,
        requestId: error instanceof APIError ? error.requestId : undefined,
        cause: error,
      });
    }
  }

  /**
   * GETs a result file by its absolute URL with the configured `fetch`, without
   * the Authorization header (files may be served by another host). Retried like
   * reads; `timeout` bounds the wait for the response headers, not the body. An
   * error status becomes the typed {@link APIError}.
   */
  download(url: string, options: RequestOptions = {}): Promise<Response> {
    const target = { method: "GET", url: url.split(/[?#]/)[0] ?? "" };
    return withRetries((attempt) => this.#fetchFile(url, options, target, attempt), {
      policy: this.#policy(options),
      retryable: isRetryableRead,
      signal: options.signal,
      onRetry: (info) => this.#logRetry(target, info),
    });
  }

  async #fetchFile(url: string, { signal, timeout }: RequestOptions, target: LogTarget, attempt: number): Promise<Response> {
    const timeoutMs = timeout ?? this.#config.timeoutMs;
    const startedAt = Date.now();
    let response: Response;
    try {
      response = await fetchWithin(this.#fetch, url, { headers: { accept: "*/*" } }, { timeoutMs, signal }, async (answer) => answer);
    } catch (error) {
      const failure = this.#networkError(error, signal);
      this.#logAttempt(target, attempt, startedAt, { error: failure });
      throw failure;
    }
    this.#logAttempt(target, attempt, startedAt, { status: response.status });
    if (response.ok) return response;
    throw readEnvelope(await response.text().catch(() => ""), response, this.redact).error;
  }

  #policy(options: RequestOptions): RetryPolicy {
    return options.maxRetries === undefined ? this.#config.retry : { ...this.#config.retry, maxRetries: options.maxRetries };
  }

  async #send(method: "GET" | "POST", path: string, body: unknown, options: RequestOptions, attempt: number): Promise<APIResponse> {
    const { signal } = options;
    const timeoutMs = options.timeout ?? this.#config.timeoutMs;
    const waitMs = await this.#pacer.wait(signal);
    if (waitMs > 0) this.#log("info", `${method} /${path} waited ${waitMs} ms: the rate limit is running low`, { method, path, waitMs, rateLimit: this.#pacer.info });
    const startedAt = Date.now();
    let response: Response;
    let text: string;
    try {
      const init: RequestInit =
        body === undefined
          ? { method, headers: this.#headers }
          : { method, headers: { ...this.#headers, "content-type": "application/json" }, body: JSON.stringify(body) };
      [response, text] = await fetchWithin(this.#fetch, `${this.#config.baseURL}/${path}`, init, { timeoutMs, signal }, (answer) =>
        readLimitedText(answer, this.#config.maxResponseBytes).then((read) => [answer, read] as const),
      );
    } catch (error) {
      const failure = this.#networkError(error, signal);
      this.#logAttempt({ method, path }, attempt, startedAt, { error: failure });
      throw failure;
    }
    const rateLimit = parseRateLimit(response.headers);
    if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) this.#pacer.observe(rateLimit);
    this.#logAttempt({ method, path }, attempt, startedAt, { status: response.status, rateLimit });
    const envelope = readEnvelope(text, response, this.redact);
    if (envelope.error) throw envelope.error;
    return { data: envelope.data, status: response.status, requestId: envelope.requestId, rateLimit, attempt, sentAt: new Date(startedAt) };
  }

  #networkError(error: unknown, signal: AbortSignal | undefined): ModellixError {
    if (error instanceof ModellixError) return error;
    if (signal?.aborted) return abortErrorFrom(signal);
    if (error instanceof Error && error.name === "AbortError") return new AbortError();
    const code = errorCode(error);
    const detail = this.redact(error instanceof Error ? error.message : String(error));
    return new ConnectionError(`Could not reach the Modellix API (${code ?? detail}). Check the network and baseURL.`, {
      requestSent: !failedBeforeSending(code),
      code,
    });
  }

  /** Logs one attempt at debug: its status (or why it failed), its timing and the rate-limit figures. */
  #logAttempt(target: LogTarget, attempt: number, startedAt: number, outcome: { status: number; rateLimit?: RateLimitInfo } | { error: ModellixError }): void {
    if (!this.#config.logger.enabled("debug")) return; // runs for every response: build nothing when nobody reads it
    const ms = Date.now() - startedAt;
    if ("error" in outcome) {
      const { error } = outcome;
      this.#log("debug", `${label(target)} failed after ${ms} ms (attempt ${attempt}): ${error.message}`, { ...target, attempt, ms, error: error.name });
    } else {
      this.#log("debug", `${label(target)} → ${outcome.status} in ${ms} ms (attempt ${attempt})`, { ...target, attempt, ms, ...outcome });
    }
  }

  /** Logs a retry at info: the attempt that failed, why, and the wait before the next. */
  #logRetry(target: LogTarget, { error, attempt, delayMs }: { error: unknown; attempt: number; delayMs: number }): void {
    const reason = error instanceof Error ? error.message : String(error);
    const status = error instanceof APIError ? error.status : undefined;
    this.#log("info", `${label(target)} attempt ${attempt} failed (${reason}); retrying in ${delayMs} ms`, { ...target, status, attempt, delayMs, reason });
  }

  /** Logs with the key scrubbed from the message and from every string field. */
  #log(level: "debug" | "info", message: string, fields: Record<string, unknown>): void {
    if (!this.#config.logger.enabled(level)) return;
    const scrubbed = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === "string" ? this.redact(value) : value]));
    this.#config.logger.log(level, this.redact(message), scrubbed);
  }

  /** Replaces every occurrence of the API key in `text`. */
  readonly redact = (text: string): string => (this.#apiKey ? text.split(this.#apiKey).join("[redacted]") : text);
}

/** What a log line is about: an API call by its path under the base URL, or a file by its URL (without the query). */
type LogTarget = { method: string; path: string } | { method: string; url: string };

function label(target: LogTarget): string {
  return "url" in target ? `${target.method} ${target.url}` : `${target.method} /${target.path}`;
}

/** Why a failed submit may still have created a task, or undefined when it surely did not. */
function uncertainReason(error: unknown): SubmitOutcomeReason | undefined {
  if (!isRetryableRead(error) || isRetryableSubmit(error)) return undefined;
  if (error instanceof InvalidResponseError) return "unreadable_response";
  if (error instanceof TimeoutError) return "timeout";
  if (error instanceof ConnectionError) return "connection_lost";
  return "server_error";
}

/** Reads a body as text, refusing one larger than `maxBytes` without reading past the limit. */
async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const length = response.headers.get("content-length");
  // A declared length within the limit cannot be exceeded: let fetch read the body in one go.
  if (length !== null && Number(length) <= maxBytes) return response.text();
  return new Response(limitedBody(response, { maxBytes, tooLarge: () => tooLarge(response, maxBytes) })).text();
}

function tooLarge(response: Response, maxBytes: number): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    message: `Invalid Response: the body is larger than maxResponseBytes (${maxBytes})`,
  });
}
