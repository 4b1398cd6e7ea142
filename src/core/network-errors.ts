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
