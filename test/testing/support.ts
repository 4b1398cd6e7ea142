import type { FakeEnvelope, FakeModellix } from "../../src/testing/index.js";

/** The base URL the fake.fetch tests talk to; nothing listens there. */
export const BASE = "https://api.modellix.test/api/v1";
export const ORIGIN = "https://api.modellix.test";

/** Calls `fetchImpl` on `base + path` with a valid bearer key and a JSON content type. */
export function call(fetchImpl: typeof fetch, path: string, init: RequestInit = {}, base = BASE): Promise<Response> {
  return fetchImpl(`${base}${path}`, {
    ...init,
    headers: { Authorization: "Bearer test-key", "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
  });
}

/** Submits `body` to `/{type}/{slug}/async`. */
export function submit(
  fetchImpl: typeof fetch,
  type: string,
  slug: string,
  body: unknown,
  base = BASE,
  signal?: AbortSignal,
): Promise<Response> {
  return call(fetchImpl, `/${type}/${slug}/async`, { method: "POST", body: JSON.stringify(body), signal: signal ?? null }, base);
}

/** Submits a t2i task through `fake.fetch` and returns its id. */
export async function submitImage(fake: FakeModellix, body: Record<string, unknown> = { prompt: "a lighthouse" }): Promise<string> {
  const answer = await envelope(await submit(fake.fetch, "t2i", "bytedance/seedream-4-5-t2i", body));
  return (answer.data as { task_id: string }).task_id;
}

/** The parsed envelope of a response. */
export async function envelope(response: Response): Promise<FakeEnvelope> {
  return (await response.json()) as FakeEnvelope;
}

/** The `data` of a task read. */
export async function readTask(fake: FakeModellix, id: string): Promise<Record<string, unknown>> {
  return (await envelope(await call(fake.fetch, `/tasks/${encodeURIComponent(id)}`))).data as Record<string, unknown>;
}
