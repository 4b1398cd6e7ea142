import { UserAbortError } from "./errors.js";
import { follow } from "./signals.js";

/**
 * Resolves after `ms`, or rejects with {@link UserAbortError} as soon as `signal`
 * aborts. With `unref`, the timer alone does not keep Node running (for
 * background work nobody awaits).
 */
export function sleep(ms: number, signal?: AbortSignal, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortErrorFrom(signal));
    const watched = signal && follow(signal); // not a listener on the caller's signal per sleep
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal));
    };
    const timer = setTimeout(() => {
      watched?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    if (options.unref) (timer as { unref?: () => void }).unref?.();
    watched?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The SDK's {@link UserAbortError} for an aborted signal, keeping its reason as the cause. */
export function abortErrorFrom(signal: AbortSignal | undefined): UserAbortError {
  return new UserAbortError(undefined, { cause: signal?.reason });
}
