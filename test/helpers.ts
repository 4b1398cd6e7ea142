import { afterEach, beforeEach, vi } from "vitest";
import Modellix, { type ModellixOptions } from "modellix";
import { FakeModellix, type FakeModellixOptions } from "modellix/testing";

/** The key every test client uses; tests assert it never leaks. */
export const secretKey = "mlx-test-9f8e7d6c5b4a-secret";

/** A fake Modellix and a client wired to it through `fake.fetch` (no sockets). */
export function setup(clientOptions: ModellixOptions = {}, fakeOptions: FakeModellixOptions = {}) {
  const fake = new FakeModellix(fakeOptions);
  const client = new Modellix({
    apiKey: secretKey,
    baseURL: "https://api.modellix.test",
    fetch: fake.fetch,
    logLevel: "off",
    ...clientOptions,
  });
  return { fake, client };
}

/** Advances fake timers in steps until `promise` settles (or `maxMs` of fake time passed), then returns it. */
export async function drive<T>(promise: Promise<T>, { stepMs = 250, maxMs = 60 * 60_000 } = {}): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let elapsed = 0; !settled && elapsed < maxMs; elapsed += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  return promise;
}

/** Like {@link drive}, resolving with the rejection reason (fails if it resolves). */
export async function driveToError(promise: Promise<unknown>, options?: { stepMs?: number; maxMs?: number }): Promise<unknown> {
  try {
    await drive(promise, options);
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Fake timers (and a fake `Date`) in every test of the calling file, real ones again after each. */
export function useFakeTimersInEachTest(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
