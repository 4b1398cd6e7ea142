import type { KyInstance, Options as KyOptions } from "ky";
import { apiPrefix } from "./base-url.js";
import { type APIError, AuthenticationError, InvalidResponseError, type RateLimitInfo } from "./errors.js";
import { readEnvelope } from "./envelope.js";
import { fetchFile } from "./file-fetch.js";
import { type RequestHooks, type RequestOptions, createHttp, isRedirect, kyTimeout, responseOf, withoutAuthorization } from "./http.js";
import type { LevelledLogger } from "./logger.js";
import { type PacerOptions, RequestPacer } from "./pacer.js";
import { parseRateLimit } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { type RetryPolicy, isRetryableRead, withRetries } from "./retry.js";
import { type SubmitAttempt, type SubmitTarget, mayResend, rejectionIn2xx, settleSubmit, taskIdOf } from "./submit-policy.js";

export type { RequestHooks, RequestOptions } from "./http.js";
export type { SubmitTarget } from "./submit-policy.js";

/** A successful API answer: its data, and the HTTP response it came in. */
export interface APIResponse {
  /** The envelope's `data` (or the whole JSON body for an unenveloped answer), as received. */
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
  /** The HTTP response, with its body readable again (a copy of what was read). */
  readonly response: Response;
}

/** What the transport needs from the client's options. */
export interface TransportConfig {
  apiKey: string | undefined;
  /** The origin (with a proxy's path prefix, if any); API paths go under `/api/v1`. */
  baseURL: string;
  timeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof fetch | undefined;
  retryUnsafeSubmits: boolean;
  maxResponseBytes: number;
  /** The proactive throttle (default: see {@link PacerOptions}). */
  throttle?: PacerOptions | undefined;
  logger: LevelledLogger;
  /** Headers sent with every request (never `Authorization`). */
  headers: Record<string, string>;
  /** Hooks around every request, for tracing. */
  hooks: RequestHooks | undefined;
}

/** How a call is sent and its answer read. */
interface Call {
  method: "GET" | "POST" | "DELETE";
  /** Under `/api/v1`, or an absolute URL for other hosts (sent without the key). */
  path: string;
  json?: unknown;
  body?: FormData | undefined;
  /** A paid submit: see the submit policy. */
  paid?: boolean | undefined;
  /** The answer is plain JSON, not the `{ code, message, data }` envelope (`GET /models`). */
  plain?: boolean | undefined;
  /** Background polling: retry waits do not keep Node alive. */
  background?: boolean | undefined;
}

/**
 * The HTTP layer: ky sends (base URL, bearer auth, headers, JSON bodies, a
 * timeout that covers the body, hooks; its `HTTPError` read into the typed
 * errors), p-retry retries (see `retry.ts`), the submit policy decides which
 * paid POST may be sent again, and rate-limit headers pace the next requests.
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #config: TransportConfig;
  /** API calls under `/api/v1`, with the key. */
  readonly #api: KyInstance;
  /** Absolute URLs of other hosts (a model's public schema), without the key. */
  readonly #external: KyInstance;
  /** Result files, streamed, without the key. */
  readonly #files: KyInstance;
  readonly #pacer: RequestPacer;
  readonly #log: RequestLog;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#apiKey = config.apiKey;
    this.#pacer = new RequestPacer(config.throttle);
    this.#log = new RequestLog(config.logger, this.redact);
    const { answers, files } = createHttp(config);
    const auth = config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {};
    const headers = { ...withoutAuthorization(config.headers), accept: "application/json", ...auth };
    this.#api = answers.extend({ prefixUrl: `${config.baseURL}/${apiPrefix}`, headers });
    this.#external = answers.extend({ headers: { accept: "application/json" } });
    this.#files = files;
  }

  /** The rate-limit headers of the latest response, if any carried them. */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#pacer.info;
  }

  /** A GET under `/api/v1`, retried on 429, 5xx, timeouts and connection errors. */
  get(path: string, options: RequestOptions = {}, read: { plain?: boolean; background?: boolean } = {}): Promise<APIResponse> {
    return this.#retried({ method: "GET", path, ...read }, options, isRetryableRead);
  }

  /** A DELETE under `/api/v1` (idempotent, so retried like a read). */
  delete(path: string, options: RequestOptions = {}): Promise<APIResponse> {
    return this.#retried({ method: "DELETE", path }, options, isRetryableRead);
  }

  /**
   * A multipart upload (`POST /media/files`). The file store has a quota, so an
   * upload follows the submit policy: sent again only when nothing was stored
   * (a 429, a connection that never opened); any other failure is final.
   * `form` must hold re-readable parts (Blobs).
   */
  upload(path: string, form: FormData, options: RequestOptions = {}): Promise<APIResponse> {
    return this.#retried({ method: "POST", path, body: form }, options, (error) => mayResend(error));
  }

  /**
   * A paid POST. Sent again only where the submit policy says nothing was
   * created (a 429, waited out; a connection error before sending); any other
   * failure after sending becomes a `SubmitOutcomeUnknownError` and is never
   * sent again, unless `retryUnsafeSubmits` is on.
   */
  async submit(path: string, json: unknown, target: SubmitTarget, options: RequestOptions = {}): Promise<APIResponse> {
    const unsafe = this.#config.retryUnsafeSubmits;
    const call: Call = { method: "POST", path, json, paid: true };
    let latest: SubmitAttempt = { number: 0, sent: false, sentAt: new Date(), answered: false };
    try {
      return await withRetries(
        (number) => {
          latest = { number, sent: false, sentAt: new Date(), answered: false };
          return this.#send(call, options, number, latest);
        },
        {
          policy: this.#policy(options),
          retryable: (error) => mayResend(error, unsafe),
          quotaWait: true,
          signal: options.signal,
          onRetry: (info) => this.#log.retry(call, info),
        },
      );
    } catch (error) {
      throw settleSubmit(error, latest, target);
    }
  }

  /**
   * GETs a file by its absolute URL, without the Authorization header (it may
   * be served by another host). Retried like reads; `timeout` bounds the wait
   * for the response headers (the caller reads the body). An error status
   * becomes the typed {@link APIError}.
   */
  download(url: string, options: RequestOptions = {}): Promise<Response> {
    const access = { ky: this.#files, timeoutMs: this.#config.timeoutMs, policy: this.#policy(options), log: this.#log, redact: this.redact };
    return fetchFile(access, url, options);
  }

  #retried(call: Call, options: RequestOptions, retryable: (error: unknown) => boolean): Promise<APIResponse> {
    return withRetries((attempt) => this.#send(call, options, attempt), {
      policy: this.#policy(options),
      retryable,
      signal: options.signal,
      background: call.background,
      onRetry: (info) => this.#log.retry(call, info),
    });
  }

  #policy(options: RequestOptions): RetryPolicy {
    return options.maxRetries === undefined ? this.#config.retry : { ...this.#config.retry, maxRetries: options.maxRetries };
  }

  /** One attempt. `progress` (of a paid POST) learns when it was sent and when its answer came. */
  async #send(call: Call, options: RequestOptions, attempt: number, progress?: SubmitAttempt): Promise<APIResponse> {
    const { method, path } = call;
    const { signal } = options;
    const timeoutMs = options.timeout ?? this.#config.timeoutMs;
    const waitMs = await this.#pacer.wait(signal);
    if (waitMs > 0) this.#log.write("info", `${method} /${path} waited ${waitMs} ms: the rate limit is running low`, { method, path, waitMs, rateLimit: this.#pacer.info });
    const startedAt = Date.now();
    if (progress) {
      progress.sent = true;
      progress.sentAt = new Date(startedAt);
    }
    let response: Response;
    try {
      response = await responseOf(this.#request(call, options, timeoutMs), { signal, timeoutMs, redact: this.redact });
    } catch (failure) {
      this.#log.attempt(call, attempt, startedAt, { error: failure as Error });
      throw failure;
    }
    if (progress) progress.answered = true;
    const rateLimit = parseRateLimit(response.headers);
    if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) this.#pacer.observe(rateLimit);
    this.#log.attempt(call, attempt, startedAt, { status: response.status, rateLimit });
    if (isRedirect(response)) {
      void response.body?.cancel().catch(() => undefined);
      throw redirected(response);
    }
    const text = await response.text();
    const meta = { status: response.status, rateLimit, attempt, sentAt: new Date(startedAt) };
    if (call.plain && response.ok) return answerOf(meta, parsePlain(text, response), response.headers.get("x-request-id") ?? undefined, response, text);
    const envelope = readEnvelope(text, response, this.redact);
    if (!envelope.error) return answerOf(meta, envelope.data, envelope.requestId, response, text);
    // A 2xx carrying an error code is no proof that a paid POST created nothing: a task it names exists.
    const paid2xx = call.paid === true && response.ok;
    const kept = paid2xx ? taskIdOf(envelope.data) : undefined;
    if (kept) {
      this.#log.write("info", `kept task ${kept} of a ${response.status} answer with code ${envelope.error.status}`, { status: envelope.error.status });
      return answerOf(meta, envelope.data, envelope.requestId, response, text);
    }
    const error = paid2xx ? rejectionIn2xx(envelope.error, response.status) : envelope.error;
    throw this.#apiKey ? error : explainKeyless(error);
  }

  #request(call: Call, options: RequestOptions, timeoutMs: number): Promise<Response> {
    const init: KyOptions = {
      method: call.method,
      headers: withoutAuthorization(options.headers),
      json: call.json,
      body: call.body,
      signal: options.signal,
      timeout: kyTimeout(timeoutMs),
      // A paid POST is never sent twice: a redirect is not followed (see the submit policy).
      redirect: call.method === "POST" ? "manual" : "follow",
    };
    return /^https?:\/\//i.test(call.path) ? this.#external(call.path, init) : this.#api(call.path, init);
  }

  /** Replaces every occurrence of the API key in `text`. */
  readonly redact = (text: string): string => (this.#apiKey ? text.split(this.#apiKey).join("[redacted]") : text);
}

/** A 401 to a client that sends no key says so: the proxy in front was meant to add it. */
function explainKeyless(error: APIError): APIError {
  if (!(error instanceof AuthenticationError)) return error;
  return new AuthenticationError({
    status: error.status,
    message: `${error.category ?? "Unauthorized"}: ${error.detail} (this client sends no API key: the proxy at baseURL must add it)`,
    requestId: error.requestId,
    headers: error.headers,
    body: error.body,
  });
}

function redirected(response: Response): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status || 302,
    message: "Invalid Response: the API answered with a redirect, which the SDK does not follow for a paid submit",
  });
}

/** An {@link APIResponse}; its `response` (a re-readable copy of the HTTP answer) is built only when asked for. */
function answerOf(
  meta: Pick<APIResponse, "status" | "rateLimit" | "attempt" | "sentAt">,
  data: unknown,
  requestId: string | undefined,
  response: Response,
  text: string,
): APIResponse {
  let copy: Response | undefined;
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  return {
    ...meta,
    data,
    requestId,
    get response() {
      copy ??= new Response(response.status === 204 ? null : text, init);
      return copy;
    },
  };
}

function parsePlain(text: string, response: Response): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidResponseError({ status: response.status, message: "Invalid Response: the body is not JSON" });
  }
}
