/** Fetching a file by URL for the transport, loaded with the first file download (see `Transport.download`). */
import type { KyInstance } from "ky";
import { readEnvelope } from "./envelope.js";
import { withinDeadline } from "./http.js";
import { connectionFailure } from "./network-errors.js";
import type { RequestLog } from "./request-log.js";
import { type RetryPolicy, isRetryableRead, withRetries } from "./retry.js";
import { type RequestOptions, direct, withoutAuthorization } from "./transport.js";

/** What a file fetch uses of its transport. */
export interface FileAccess {
  /** Sends requests with the client's fetch and hooks, and no API key. */
  ky: KyInstance;
  /** The client's `timeout`, for the response headers. */
  timeoutMs: number;
  policy: RetryPolicy;
  log: RequestLog;
  redact: (text: string) => string;
}

/**
 * GETs `url` without the Authorization header, retried like reads; `timeout`
 * bounds the wait for the response headers (the caller reads the body). An
 * error status becomes the typed `APIError`.
 */
export function fetchFile(access: FileAccess, url: string, options: RequestOptions): Promise<Response> {
  const target = { method: "GET", url: url.split(/[?#]/)[0] ?? "" };
  const { signal, timeout, headers } = options;
  const attempt = async (number: number): Promise<Response> => {
    const startedAt = Date.now();
    let response: Response;
    try {
      const request = { headers: { accept: "*/*", ...withoutAuthorization(headers) } };
      response = await withinDeadline({ timeoutMs: timeout ?? access.timeoutMs, signal }, (abort) => access.ky.get(url, { ...request, ...direct(undefined, abort) }));
    } catch (error) {
      const failure = connectionFailure(error, signal, access.redact);
      access.log.attempt(target, number, startedAt, { error: failure });
      throw failure;
    }
    access.log.attempt(target, number, startedAt, { status: response.status });
    if (response.ok) return response;
    throw readEnvelope(await response.text().catch(() => ""), response, access.redact).error;
  };
  return withRetries(attempt, { policy: access.policy, retryable: isRetryableRead, signal, onRetry: (info) => access.log.retry(target, info) });
}
