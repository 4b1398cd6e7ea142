import { TimeoutError } from "./errors.js";
import { anySignal } from "./signals.js";

/** The abort reason of a request whose `timeoutMs` elapsed. */
const timedOut = Symbol("modellix timeout");

/** Longest delay a timer can hold (2³¹ − 1 ms); larger values fire at once in Node. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs one request, given a signal that aborts it, bounded by `timeoutMs`
 * (covering the headers and the body `run` reads; `Infinity` for none) and by
 * the caller's `signal`. A timeout rejects with {@link TimeoutError}, an abort
 * with the signal's reason, also when `run` ignores the signal (a custom fetch
 * may); everything else is rethrown as it was raised.
 */
export async function withinDeadline<T>(
  limits: { timeoutMs: number; signal?: AbortSignal | undefined },
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeoutMs, signal } = limits;
  const controller = new AbortController();
  const stop = anySignal(controller.signal, signal);
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(timedOut), timeoutMs) : undefined;
  const stopped = new Promise<never>((_, reject) => {
    const onStop = () => reject(stop.reason);
    if (stop.aborted) onStop();
    else stop.addEventListener("abort", onStop, { once: true });
  });
  try {
    return await Promise.race([run(stop), stopped]);
  } catch (error) {
    throw controller.signal.reason === timedOut ? new TimeoutError(timeoutMs) : error;
  } finally {
    clearTimeout(timer);
  }
}
