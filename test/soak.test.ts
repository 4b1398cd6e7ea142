import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeModellix } from "modellix/testing";
import { heldFetch } from "../scripts/soak/fetch.js";
import { formatSoakReport } from "../scripts/soak/report.js";
import { runSoak, soakSettings } from "../scripts/soak/run.js";
import { checkSoak } from "../scripts/soak/verify.js";

afterEach(() => {
  vi.useRealTimers();
});

/** 100 tasks on fake timers: seconds of fake time per task, a few real seconds in all. */
const settings = soakSettings({
  tasks: 100,
  seed: 20260601,
  tag: "unit",
  durationMs: [1_000, 4_000],
  timeoutMs: 5_000,
  rates: { submitFaults: 0.45, pollFaults: 0.45, fail: 0.1, expire: 0.08, rateLimited: 0.03 },
  deadlineMs: 60 * 60_000,
});

describe("fault-injection soak", () => {
  it("100 tasks under random faults: no duplicate, every ending typed, quota and retry schedule kept", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    const run = await runSoak(
      { fake, baseURL: "https://api.modellix.test", fetch: heldFetch(fake) },
      { ...settings, tick: (ms) => vi.advanceTimersByTimeAsync(ms) },
    );
    const check = checkSoak(run, { earlyMs: 0, lateMs: 1 });
    console.log(formatSoakReport(check, `soak: ${settings.tasks} tasks, seed ${settings.seed}, fake timers`, { quota: 3, unhandled: 0 }));
    expect(check.violations).toEqual([]);
    expect(check.duplicates).toBe(0);
    expect(check.untyped).toBe(0);
    expect(check.hung).toBe(0);
    expect(check.server.quota429).toBe(0);
    expect(check.server.maxConcurrent).toBeLessThanOrEqual(3);
    expect(check.schedule.checked).toBeGreaterThan(20);
    // The plan reaches every kind of ending the issue names.
    expect([...check.outcomes.keys()]).toEqual(
      expect.arrayContaining(["success", "TaskFailedError", "TaskExpiredError", "SubmitOutcomeUnknownError", "RateLimitError"]),
    );
    expect(check.unknown.created).toBeGreaterThan(0);
  });

  it("without holding the slot of an unknown outcome, the same soak runs into the server's quota", async () => {
    vi.useFakeTimers();
    const fake = new FakeModellix();
    const run = await runSoak(
      { fake, baseURL: "https://api.modellix.test", fetch: heldFetch(fake) },
      { ...settings, quotaHoldMs: 0, tick: (ms) => vi.advanceTimersByTimeAsync(ms) },
    );
    const check = checkSoak(run, { earlyMs: 0, lateMs: 1 });
    expect(check.server.quota429).toBeGreaterThan(0);
    expect(check.duplicates).toBe(0);
  });
});
