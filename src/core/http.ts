import { TimeoutError } from "./errors.js";

/** The abort reason of a request whose `timeoutMs` elapsed. */
const timedOut = Symbol("modellix timeout");

/**
 * One fetch bounded by `timeoutMs` (covering the headers and `read` of the
 * body) and by the caller's `signal`. A timeout rejects with
 * {@link TimeoutError}; everything else is rethrown as fetch raised it.
 */
export async function fetchWithin<T>(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  limits: { timeoutMs: number; signal?: AbortSignal | undefined },
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const { timeoutMs, signal } = limits;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
  try {
    return await read(await fetchImpl(url, { ...init, signal: controller.signal }));
  } catch (error) {
    throw controller.signal.reason === timedOut ? new TimeoutError(timeoutMs) : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
