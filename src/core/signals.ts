/**
 * A signal that aborts, with the same reason, as soon as any of `signals` does.
 * `AbortSignal.any` follows them without adding a listener to each, so a
 * thousand waits on one caller's signal raise no MaxListeners warning and leak
 * nothing; where a runtime lacks it (the edge runtime), listeners do the same.
 */
export function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 1) return present[0] as AbortSignal;
  if (typeof AbortSignal.any === "function") return AbortSignal.any(present);
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

/**
 * A signal of its own that aborts with `signal`, so that listeners added to it
 * are not counted on the caller's (`AbortSignal.any`); `signal` itself where
 * the runtime lacks that.
 */
export function follow(signal: AbortSignal): AbortSignal {
  return typeof AbortSignal.any === "function" ? AbortSignal.any([signal]) : signal;
}
