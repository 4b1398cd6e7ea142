/** Fetching a file by URL for the transport, loaded with the first file download (see `Transport.download`). */
import type { KyInstance } from "ky";
import { readEnvelope } from "./envelope.js";
import { type RequestOptions, kyTimeout, responseOf, withoutAuthorization } from "./http.js";
import type { RequestLog } from "./request-log.js";
import { type RetryPolicy, isRetryableRead, withRetries } from "./retry.js";

/** What a file fetch uses of its transport. */
export interface FileAccess {
  /** Sends requests with the client's fetch and hooks, and no API key; resolves with the headers. */
  ky: KyInstance;
  /** The client's `timeout`, for the response headers. */
  timeoutMs: number;
  policy: RetryPolicy;
  log: RequestLog;
  redact: (text: string) => string;
}

/**
 * GETs `url` without the Authorization header, retried like reads; `timeout`
 * bounds the wait for the response headers (ky's own timeout: the caller reads
 * the body). An error status becomes the typed `APIError`.
 */
export function fetchFile(access: FileAccess, url: string, options: RequestOptions): Promise<Response> {
  const target = { method: "GET", url: url.split(/[?#]/)[0] ?? "" };
  const { signal, headers } = options;
  const timeoutMs = options.timeout ?? access.timeoutMs;
  const attempt = async (number: number): Promise<Response> => {
    const startedAt = Date.now();
    let response: Response;
    try {
      const request = access.ky.get(url, { headers: { accept: "*/*", ...withoutAuthorization(headers) }, signal, timeout: kyTimeout(timeoutMs) });
      response = await responseOf(request, { signal, timeoutMs, redact: access.redact });
    } catch (failure) {
      access.log.attempt(target, number, startedAt, { error: failure as Error });
      throw failure;
    }
    access.log.attempt(target, number, startedAt, { status: response.status });
    if (response.ok) return response;
    throw readEnvelope(await response.text().catch(() => ""), response, access.redact).error;
  };
  return withRetries(attempt, { policy: access.policy, retryable: isRetryableRead, signal, onRetry: (info) => access.log.retry(target, info) });
}
