/** The time source a {@link FakeModellix} reads; every task state is computed from it. */
export interface FakeClock {
  /** The current time in ms since the Unix epoch. */
  now(): number;
}

/**
 * The default clock: `Date.now()`, looked up on every call so that vitest's
 * `vi.useFakeTimers()` / `vi.setSystemTime()` drive it.
 */
export const systemClock: FakeClock = { now: () => Date.now() };
