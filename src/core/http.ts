import { TimeoutError } from "./errors.js";

/** The abort reason of a request whose `timeoutMs` elapsed. */
const timedOut = Symbol("modellix timeout");

/** Longest delay a timer can hold (2³¹ − 1 ms); larger values fire at once in Node. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs one request, given a signal that aborts it, bounded by `timeoutMs`
 * (covering the headers and the body `run` reads; `Infinity` for none) and by
 * the caller's `signal`. A timeout rejects with {@link TimeoutError};
 * everything else is rethrown as it was raised.
 */
export async function withinDeadline<T>(
  limits: { timeoutMs: number; signal?: AbortSignal | undefined },
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeoutMs, signal } = limits;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(timedOut), timeoutMs) : undefined;
  try {
    return await run(controller.signal);
  } catch (error) {
    throw controller.signal.reason === timedOut ? new TimeoutError(timeoutMs) : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
