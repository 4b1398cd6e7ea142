import { UserAbortError, ConnectionError, ModellixError } from "./errors.js";
import { abortErrorFrom } from "./sleep.js";

/** Connection failures raised before any byte of the request left the machine. */
const codesBeforeSending = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** The `code` of an error or of its causes (undici puts `ECONNREFUSED` on `cause`). */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when a connection error `code` means the request was never sent (DNS failure, connection refused). */
export function failedBeforeSending(code: string | undefined): boolean {
  return code !== undefined && codesBeforeSending.has(code);
}

/**
 * The SDK's error for a request that got no answer: an SDK error as it is, the
 * caller's abort as {@link UserAbortError}, else a {@link ConnectionError} (its
 * detail scrubbed with `redact`) saying whether the request was sent.
 */
export function connectionFailure(error: unknown, signal: AbortSignal | undefined, redact: (text: string) => string): ModellixError {
  if (error instanceof ModellixError) return error;
  if (signal?.aborted) return abortErrorFrom(signal);
  if (error instanceof Error && error.name === "AbortError") return new UserAbortError();
  const code = errorCode(error);
  const detail = redact(error instanceof Error ? error.message : String(error));
  return new ConnectionError(`Could not reach the Modellix API (${code ?? detail}). Check the network and baseURL.`, {
    requestSent: !failedBeforeSending(code),
    code,
  });
}
