import { sleep } from "../core/sleep.js";

/**
 * Waits `ms` on the global timers (so fake timers drive it). Resolves true when the
 * time passed, false when `signal` aborted first.
 */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, signal).then(
    () => true,
    () => false,
  );
}

/** Resolves when `signal` aborts, and never otherwise. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
