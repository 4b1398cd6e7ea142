import { type APIError, InvalidResponseError, errorForStatus } from "./errors.js";
import { parseRateLimit } from "./rate-limit.js";

/** The unwrapped `{ code, message, data }` envelope, or the typed error it stands for. */
export interface Envelope {
  data: unknown;
  requestId: string | undefined;
  error: APIError | undefined;
}

/**
 * Parses a response body as the API's envelope. Error statuses and an envelope
 * `code` that is an HTTP error status (400–599) each become that status's typed
 * error; an unreadable 2xx body, or one whose `code` is no HTTP status at all
 * (`50001`), is an {@link InvalidResponseError}: it proves nothing either way.
 * `redact` scrubs the API key from anything the server echoed back.
 */
export function readEnvelope(text: string, response: Response, redact: (text: string) => string): Envelope {
  const header = response.headers.get("x-request-id");
  const requestId = header === null ? undefined : redact(header);
  const parsed = parseJson(text);
  const envelope = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  const headers = () => headersObject(response.headers, redact);
  const fail = (status: number, message: string): Envelope => ({
    data: envelope?.data,
    requestId,
    error: errorForStatus({
      status,
      message: redact(message),
      requestId,
      headers: headers(),
      body: parsed.ok ? redactDeep(parsed.value, redact) : cut(redact(text)),
      rateLimit: parseRateLimit(response.headers),
    }),
  });
  const invalid = (message: string): Envelope => ({
    data: envelope?.data,
    requestId,
    error: new InvalidResponseError({ status: response.status, message: redact(message), requestId, headers: headers(), body: cut(redact(text)) }),
  });
  const message = typeof envelope?.message === "string" && envelope.message ? envelope.message : undefined;
  // Without the API's own message (a proxy's HTML page, an empty body), the status line says what happened.
  if (!response.ok) return fail(response.status, message ?? `${response.statusText || `HTTP ${response.status}`}: no detail in the answer`);
  if (!envelope || !("data" in envelope || "code" in envelope)) return invalid("Invalid Response: the body is not the JSON envelope { code, message, data }");
  const code = envelope.code;
  if (code === undefined || code === 0 || code === 200) return { data: envelope.data, requestId, error: undefined };
  if (typeof code === "number" && Number.isInteger(code) && code >= 400 && code <= 599) {
    return fail(code, message ?? `Error: the API answered with code ${code}`);
  }
  return invalid(`Invalid Response: a ${response.status} answer with error code ${String(code)}${message ? ` (${message})` : ""}`);
}

/** Narrows to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function headersObject(headers: Headers, redact: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = redact(value);
  });
  return out;
}

/** The first 2,000 characters of an (already scrubbed) body kept on an error. */
function cut(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * A copy of a parsed JSON value with `redact` applied to every string in it,
 * keys included (an error body may echo the key). Iterative, so a deeply
 * nested body cannot overflow the stack.
 */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  const copy = (item: unknown): unknown => (typeof item === "string" ? redact(item) : Array.isArray(item) ? [] : isRecord(item) ? {} : item);
  const root = copy(value);
  const pending: Array<[source: unknown, target: unknown]> = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, target] = next;
    if (typeof source !== "object" || source === null) continue;
    for (const [key, item] of Object.entries(source)) {
      const child = copy(item);
      // defineProperty, not assignment: a `__proto__` key stays a plain field.
      const name = Array.isArray(target) ? key : redact(key);
      Object.defineProperty(target, name, { value: child, enumerable: true, writable: true, configurable: true });
      if (typeof item === "object" && item !== null) pending.push([item, child]);
    }
  }
  return root;
}
