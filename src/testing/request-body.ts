/** A request body, read once: parsed JSON (or text), or a multipart form. */
export interface RequestPayload {
  /** The body parsed as JSON, or its text when it is not JSON; undefined when empty or multipart. */
  json: unknown;
  /** The parsed form of a `multipart/form-data` body; undefined otherwise or when it does not parse. */
  form: FormData | undefined;
  /** What the request log shows: `json`, or for a form its fields with files summarised. */
  logged: unknown;
}

/** Reads the body of `request` once. A body that cannot be read counts as empty. */
export async function readPayload(request: Request): Promise<RequestPayload> {
  const contentType = request.headers.get("content-type") ?? "";
  const bytes = new Uint8Array(await request.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (/^multipart\/form-data\b/i.test(contentType)) {
    const form = await new Response(bytes, { headers: { "Content-Type": contentType } }).formData().catch(() => undefined);
    return { json: undefined, form, logged: form ? describeForm(form) : undefined };
  }
  const json = parseBody(new TextDecoder().decode(bytes));
  return { json, form: undefined, logged: json };
}

/** A body text as JSON when it parses, else the text itself; undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A form's fields as a plain object; a file becomes `{ filename, contentType, size }`, not its bytes. */
function describeForm(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  form.forEach((value, name) => {
    out[name] =
      typeof value === "string" ? value : { filename: value.name, contentType: value.type || "application/octet-stream", size: value.size };
  });
  return out;
}
