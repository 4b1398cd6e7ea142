import type { FakeEnvelope, FakeModellix } from "../../src/testing/index.js";

/** The origin the fake.fetch tests talk to (the SDK's baseURL); nothing listens there. */
export const ORIGIN = "https://api.modellix.test";
/** Where the API lives under {@link ORIGIN}. */
export const API = `${ORIGIN}/api/v1`;
/** A verified text-to-image model with a parameter list: prompt required, size `WIDTHxHEIGHT`. */
export const IMAGE_MODEL = "bytedance/seedream-4.5-t2i";

/** Calls `fetchImpl` on `{base}/api/v1{path}` with a valid bearer key and a JSON content type. */
export function call(fetchImpl: typeof fetch, path: string, init: RequestInit = {}, base = ORIGIN): Promise<Response> {
  return fetchImpl(`${base}/api/v1${path}`, {
    ...init,
    headers: { Authorization: "Bearer test-key", "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
  });
}

/** Options of {@link submit}. */
export interface SubmitOptions {
  base?: string;
  signal?: AbortSignal;
  /** Post to the `/async` alias. */
  alias?: boolean;
}

/** Submits `body` to `POST /api/v1/{provider}/{model_id}` (each segment encoded), or its `/async` alias. */
export function submit(fetchImpl: typeof fetch, slug: string, body: unknown, options: SubmitOptions = {}): Promise<Response> {
  const path = `/${slug.split("/").map(encodeURIComponent).join("/")}${options.alias ? "/async" : ""}`;
  return call(fetchImpl, path, { method: "POST", body: JSON.stringify(body), signal: options.signal ?? null }, options.base);
}

/** Submits to a model through `fake.fetch` and returns the task id (default: a seedream-4.5 image). */
export async function submitTask(fake: FakeModellix, body: Record<string, unknown> = { prompt: "a lighthouse" }, slug = IMAGE_MODEL): Promise<string> {
  const answer = await envelope(await submit(fake.fetch, slug, body));
  const id = (answer.data as { task_id?: string } | null)?.task_id;
  if (typeof id !== "string") throw new Error(`submit refused: ${answer.message}`);
  return id;
}

/** Uploads `blob` as the multipart field `file` to `POST /api/v1/media/files`. */
export function upload(fetchImpl: typeof fetch, blob: Blob, filename?: string, base = ORIGIN): Promise<Response> {
  const form = new FormData();
  if (filename === undefined) form.append("file", blob);
  else form.append("file", blob, filename);
  return fetchImpl(`${base}/api/v1/media/files`, { method: "POST", headers: { Authorization: "Bearer test-key" }, body: form });
}

/** The parsed envelope of a response. */
export async function envelope(response: Response): Promise<FakeEnvelope> {
  return (await response.json()) as FakeEnvelope;
}

/** The `data` of a task read. */
export async function readTask(fake: FakeModellix, id: string): Promise<Record<string, unknown>> {
  return (await envelope(await call(fake.fetch, `/tasks/${encodeURIComponent(id)}`))).data as Record<string, unknown>;
}
