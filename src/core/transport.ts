import ky, { type KyInstance, TimeoutError as KyTimeoutError } from "ky";
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
  errorForStatus,
} from "./errors.js";
import { readEnvelope } from "./envelope.js";
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
 * The HTTP layer: a ky instance with base URL, bearer auth and timeouts, the
 * JSON envelope, rate-limit headers, typed errors and the retry policy.
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #ky: KyInstance;
  readonly #config: TransportConfig;
  readonly #pacer: RequestPacer;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#apiKey = config.apiKey;
    this.#pacer = new RequestPacer(config.throttle.spacingMs, config.throttle.threshold, config.throttle.maxWaitMs);
    this.#ky = ky.create({
      prefixUrl: config.baseURL,
      retry: 0,
      throwHttpErrors: false,
      timeout: config.timeoutMs,
      headers: {
        accept: "application/json",
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      },
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
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
      onRetry: (info) => this.#logRetry("GET", path, info),
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
          onRetry: (info) => this.#logRetry("POST", path, info),
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

  #policy(options: RequestOptions): RetryPolicy {
    return options.maxRetries === undefined ? this.#config.retry : { ...this.#config.retry, maxRetries: options.maxRetries };
  }

  async #send(method: "GET" | "POST", path: string, body: unknown, options: RequestOptions, attempt: number): Promise<APIResponse> {
    const { signal } = options;
    const timeoutMs = options.timeout ?? this.#config.timeoutMs;
    await this.#pacer.wait(signal);
    const startedAt = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await this.#ky(path, { method, signal, timeout: timeoutMs, ...(body === undefined ? {} : { json: body }) });
      text = await readLimitedText(response, this.#config.maxResponseBytes);
    } catch (error) {
      throw this.#networkError(error, signal, timeoutMs);
    }
    const rateLimit = parseRateLimit(response.headers);
    if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) this.#pacer.observe(rateLimit);
    this.#log("debug", `${method} /${path} → ${response.status}`, { attempt, ms: Date.now() - startedAt, rateLimit });
    const envelope = readEnvelope(text, response, this.redact);
    if (envelope.error) throw envelope.error;
    return { data: envelope.data, status: response.status, requestId: envelope.requestId, rateLimit };
  }

  #networkError(error: unknown, signal: AbortSignal | undefined, timeoutMs: number): ModellixError {
    if (error instanceof ModellixError) return error;
    if (signal?.aborted) return abortErrorFrom(signal);
    if (error instanceof KyTimeoutError) return new TimeoutError(timeoutMs);
    if (error instanceof Error && error.name === "AbortError") return new AbortError();
    const code = errorCode(error);
    const detail = this.redact(error instanceof Error ? error.message : String(error));
    return new ConnectionError(`Could not reach the Modellix API (${code ?? detail}). Check the network and baseURL.`, {
      requestSent: !failedBeforeSending(code),
      code,
    });
  }

  #logRetry(method: string, path: string, info: { error: unknown; attempt: number; delayMs: number }): void {
    const reason = info.error instanceof Error ? info.error.message : String(info.error);
    this.#log("info", `${method} /${path} attempt ${info.attempt} failed; retrying in ${info.delayMs} ms`, { reason });
  }

  #log(level: "debug" | "info", message: string, fields: Record<string, unknown>): void {
    if (this.#config.logger.enabled(level)) this.#config.logger.log(level, this.redact(message), fields);
  }

  /** Replaces every occurrence of the API key in `text`. */
  readonly redact = (text: string): string => (this.#apiKey ? text.split(this.#apiKey).join("[redacted]") : text);
}

/** Why a failed submit may still have created a task, or undefined when it surely did not. */
function uncertainReason(error: unknown): SubmitOutcomeReason | undefined {
  if (!isRetryableRead(error) || isRetryableSubmit(error)) return undefined;
  if (error instanceof InvalidResponseError) return "unreadable_response";
  if (error instanceof TimeoutError) return "timeout";
  if (error instanceof ConnectionError) return "connection_lost";
  return "server_error";
}

/** Reads a body, refusing one larger than `maxBytes`. */
async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(response, maxBytes);
  }
  const text = await response.text();
  if (text.length > maxBytes) throw tooLarge(response, maxBytes);
  return text;
}

function tooLarge(response: Response, maxBytes: number): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    message: `Invalid Response: the body is larger than maxResponseBytes (${maxBytes})`,
  });
}
