import { isRecord } from "../core/envelope.js";

/**
 * A request body read up to a limit: its bytes, or `undefined` when it is
 * larger. A `Content-Length` over the limit is refused before reading; a
 * stream is cancelled as soon as it passes the limit.
 */
export async function readLimitedBytes(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void request.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as text when it is a JSON object, the only kind of body a submit takes; else undefined. */
export function jsonObjectText(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return isRecord(JSON.parse(text)) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fresh form holding only the upload's `file` field, or undefined when the
 * multipart body cannot be parsed or has no file there. Other fields are not
 * forwarded.
 */
export async function uploadForm(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData | undefined> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
  const file = form.get("file");
  if (typeof file === "string" || file === null || form.getAll("file").length !== 1) return undefined;
  const forwarded = new FormData();
  forwarded.append("file", file, file.name);
  return forwarded;
}
