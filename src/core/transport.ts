import ky, { type Hooks, type KyInstance } from "ky";
import { apiPrefix } from "./base-url.js";
import {
  APIError,
  AbortError,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  type RateLimitInfo,
  type SubmitOutcomeReason,
  SubmitOutcomeUnknownError,
  TimeoutError,
} from "./errors.js";
import { isRecord, readEnvelope } from "./envelope.js";
import { withinDeadline } from "./http.js";
import { limitedBody } from "./limited-body.js";
import type { LevelledLogger } from "./logger.js";
import { connectionFailure } from "./network-errors.js";
import { type PacerOptions, RequestPacer } from "./pacer.js";
import { parseRateLimit } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { type RetryPolicy, isRetryableRead, isRetryableSubmit, withRetries } from "./retry.js";

/** Per-call request options. */
export interface RequestOptions {
  /** Aborts the call (and its retries) with the SDK's `AbortError`. */
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

/** The model a submit is for, named in a {@link SubmitOutcomeUnknownError}. */
export interface SubmitTarget {
  type: string;
  model: string;
}

/** How a call's answer is read. */
interface Call {
  method: "GET" | "POST" | "DELETE";
  /** Under `/api/v1`, or an absolute URL for other hosts (sent without the key). */
  path: string;
  json?: unknown;
  body?: FormData | undefined;
  /** The answer is plain JSON, not the `{ code, message, data }` envelope (`GET /models`). */
  plain?: boolean | undefined;
  /** Background polling: retry waits do not keep Node alive. */
  background?: boolean | undefined;
}

/**
 * The HTTP layer over ky: base URL, bearer auth, headers, a timeout that
 * covers the body, the JSON envelope, rate-limit headers, typed errors and the
 * retry policy (p-retry). ky's own retries and error throwing are off: the
 * policy needs the parsed envelope and must keep a paid POST from being sent twice.
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #auth: Record<string, string>;
  readonly #api: KyInstance;
  readonly #external: KyInstance;
  readonly #config: TransportConfig;
  readonly #pacer: RequestPacer;
  readonly #log: RequestLog;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#apiKey = config.apiKey;
    this.#pacer = new RequestPacer(config.throttle);
    this.#log = new RequestLog(config.logger, this.redact);
    const fetchImpl = config.fetch ?? globalThis.fetch;
    // ky builds each request (prefix, headers, hooks); its body and the deadline's signal go
    // straight to fetch (options ky hands on untouched): a Request with a body is cloned, and
    // its stream teed, for retries ky does not make, and a signal is merged with ky's own.
    // Called on globalThis: browsers throw "Illegal invocation" for a detached window.fetch.
    const send = (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input as Request;
      const { payload, deadline } = (init ?? {}) as Direct;
      const direct = { method: request.method, headers: request.headers, body: payload, signal: deadline, redirect: request.redirect };
      return fetchImpl.call(globalThis, request.url, direct);
    };
    const shared = { retry: 0, timeout: false as const, throwHttpErrors: false, fetch: send, hooks: kyHooks(config.hooks) };
    this.#external = ky.create(shared);
    this.#api = this.#external.extend({ prefixUrl: `${config.baseURL}/${apiPrefix}` });
    this.#auth = config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {};
    this.#headers = { ...withoutAuthorization(config.headers), accept: "application/json", ...this.#auth };
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
   * A multipart upload (`POST /media/files`). Uploads cost nothing, and a repeat
   * at worst stores a second copy, so they are retried like reads; `form` must
   * hold re-readable parts (Blobs).
   */
  upload(path: string, form: FormData, options: RequestOptions = {}): Promise<APIResponse> {
    return this.#retried({ method: "POST", path, body: form }, options, isRetryableRead);
  }

  /**
   * A paid POST. Retried only where the server surely did no work (429, 503,
   * connection refused); any other failure after sending, an abort after
   * sending and a redirect become a {@link SubmitOutcomeUnknownError} and are
   * never sent again, unless `retryUnsafeSubmits` is on.
   */
  async submit(path: string, json: unknown, target: SubmitTarget, options: RequestOptions = {}): Promise<APIResponse> {
    const unsafe = this.#config.retryUnsafeSubmits;
    let last = { number: 0, sentAt: new Date(), sending: false };
    try {
      return await withRetries(
        async (attempt) => {
          last = { number: attempt, sentAt: new Date(), sending: false };
          return this.#send({ method: "POST", path, json }, options, attempt, () => {
            last.sending = true;
          });
        },
        {
          policy: this.#policy(options),
          retryable: unsafe ? isRetryableRead : isRetryableSubmit,
          signal: options.signal,
          onRetry: (info) => this.#log.retry({ method: "POST", path }, info),
        },
      );
    } catch (error) {
      const reason = last.sending ? uncertainReason(error) : undefined;
      if (!reason) throw error;
      throw new SubmitOutcomeUnknownError({
        reason,
        attempt: last.number,
        sentAt: last.sentAt,
        type: target.type,
        model: target.model,
        status: error instanceof APIError ? error.status : undefined,
        requestId: error instanceof APIError ? error.requestId : undefined,
        cause: error,
      });
    }
  }

  /**
   * GETs a file by its absolute URL, without the Authorization header (it may
   * be served by another host). Retried like reads; `timeout` bounds the wait
   * for the response headers (the caller reads the body). An error status
   * becomes the typed {@link APIError}. The code behind it loads on the first download.
   */
  async download(url: string, options: RequestOptions = {}): Promise<Response> {
    const { fetchFile } = await import("./file-fetch.js");
    const access = { ky: this.#external, timeoutMs: this.#config.timeoutMs, policy: this.#policy(options), log: this.#log, redact: this.redact };
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

  async #send(call: Call, options: RequestOptions, attempt: number, onSending?: () => void): Promise<APIResponse> {
    const { method, path } = call;
    const { signal } = options;
    const timeoutMs = options.timeout ?? this.#config.timeoutMs;
    const waitMs = await this.#pacer.wait(signal);
    if (waitMs > 0) this.#log.write("info", `${method} /${path} waited ${waitMs} ms: the rate limit is running low`, { method, path, waitMs, rateLimit: this.#pacer.info });
    const startedAt = Date.now();
    let response: Response;
    let text: string;
    try {
      [response, text] = await withinDeadline({ timeoutMs, signal }, async (abort) => {
        onSending?.();
        const answer = await this.#request(call, options.headers, abort);
        return [answer, await readLimitedText(answer, this.#config.maxResponseBytes)] as const;
      });
    } catch (error) {
      const failure = connectionFailure(error, signal, this.redact);
      this.#log.attempt(call, attempt, startedAt, { error: failure });
      throw failure;
    }
    const rateLimit = parseRateLimit(response.headers);
    if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) this.#pacer.observe(rateLimit);
    this.#log.attempt(call, attempt, startedAt, { status: response.status, rateLimit });
    if (isRedirect(response)) throw redirected(response);
    const meta = { status: response.status, rateLimit, attempt, sentAt: new Date(startedAt) };
    if (call.plain && response.ok) return answerOf(meta, parsePlain(text, response), response.headers.get("x-request-id") ?? undefined, response, text);
    const envelope = readEnvelope(text, response, this.redact);
    if (!envelope.error) return answerOf(meta, envelope.data, envelope.requestId, response, text);
    // A 2xx carrying an error code is no proof that a paid POST created nothing.
    if (method === "POST" && response.ok && !call.body) {
      const data = this.#acceptedDespite(envelope.error, envelope.data, response.status);
      return answerOf(meta, data, envelope.requestId, response, text);
    }
    throw this.#apiKey ? envelope.error : explainKeyless(envelope.error);
  }

  /** A submit answered 2xx with an error code: the task it names exists; without one, the outcome is unknown. */
  #acceptedDespite(error: APIError, data: unknown, status: number): unknown {
    if (isRecord(data) && typeof data.task_id === "string" && data.task_id) {
      this.#log.write("info", `kept task ${data.task_id} of a ${status} answer with code ${error.status}`, { status: error.status });
      return data;
    }
    // A 4xx code is a rejection (nothing was created); a 429 or 5xx code on a 2xx cannot be trusted either way.
    if (error.status < 500 && error.status !== 429) throw error;
    throw new InvalidResponseError({ status, message: `Invalid Response: a ${status} answer with error code ${error.status} (${error.detail})`, requestId: error.requestId });
  }

  #request(call: Call, extra: Record<string, string> | undefined, signal: AbortSignal): Promise<Response> {
    const absolute = /^https?:\/\//i.test(call.path);
    const json = call.json !== undefined;
    const headers = extra || json ? { ...this.#headers, ...withoutAuthorization(extra), ...(json ? jsonType : {}), ...this.#auth } : this.#headers;
    const options = { method: call.method, redirect: call.method === "POST" ? ("manual" as const) : ("follow" as const) };
    if (absolute) return this.#external(call.path, { ...options, headers: { accept: "application/json", ...withoutAuthorization(extra) }, ...direct(undefined, signal) });
    return this.#api(call.path, { ...options, headers, ...direct(json ? JSON.stringify(call.json) : call.body, signal) });
  }

  /** Replaces every occurrence of the API key in `text`. */
  readonly redact = (text: string): string => (this.#apiKey ? text.split(this.#apiKey).join("[redacted]") : text);
}

const jsonType = { "content-type": "application/json" };

/** What ky hands on to `fetch` untouched: the body and the deadline's signal (see the constructor). */
interface Direct {
  payload?: string | FormData | undefined;
  deadline?: AbortSignal | undefined;
}

/** Request options carrying a {@link Direct} body and signal (ky's types know only its own options). */
export function direct(payload: Direct["payload"], deadline: AbortSignal): Record<string, never> {
  return { payload, deadline } as Direct as Record<string, never>;
}

/** The client's hooks in ky's shapes (ky's own types stay out of the public API). */
function kyHooks(hooks: RequestHooks | undefined): Hooks | undefined {
  if (!hooks) return undefined;
  return {
    beforeRequest: hooks.beforeRequest?.map((hook) => (request: Request) => hook(request)),
    afterResponse: hooks.afterResponse?.map((hook) => (request: Request, _options: unknown, response: Response) => hook(request, response)),
  };
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

/** Drops any `Authorization` header a caller passes: the key is the client's to send. */
export function withoutAuthorization(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers) return {};
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

/** Why a failed submit may still have created a task, or undefined when it surely did not. */
function uncertainReason(error: unknown): SubmitOutcomeReason | undefined {
  if (error instanceof AbortError) return "aborted";
  if (error instanceof InvalidResponseError && error.status >= 300 && error.status < 400) return "redirected";
  if (!isRetryableRead(error) || isRetryableSubmit(error)) return undefined;
  if (error instanceof InvalidResponseError) return "unreadable_response";
  if (error instanceof TimeoutError) return "timeout";
  if (error instanceof ConnectionError) return "connection_lost";
  return "server_error";
}

/** A 3xx, or the opaque answer a browser gives for `redirect: "manual"`. */
function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
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

/** Reads a body as text, refusing one that decodes to more than `maxBytes`, without reading past the limit. */
async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const length = response.headers.get("content-length");
  const encoding = response.headers.get("content-encoding");
  // An uncompressed body of a declared length within the limit cannot exceed it: read it in one go.
  if (length !== null && Number(length) <= maxBytes && (encoding === null || encoding === "identity")) return response.text();
  return new Response(limitedBody(response, { maxBytes, tooLarge: () => tooLarge(response, maxBytes) })).text();
}

function tooLarge(response: Response, maxBytes: number): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    message: `Invalid Response: the body is larger than maxResponseBytes (${maxBytes})`,
  });
}
