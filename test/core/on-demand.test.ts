import { describe, expect, it } from "vitest";
import { onDemand } from "../../src/core/on-demand.js";

describe("a chunk loaded on demand", () => {
  it("loads once for every caller, and tries again after a failed load", async () => {
    let calls = 0;
    const load = onDemand(async () => {
      calls++;
      if (calls === 1) throw new TypeError("Failed to fetch dynamically imported module");
      return { ready: true };
    });
    await expect(load()).rejects.toThrow("Failed to fetch");
    const [first, second] = await Promise.all([load(), load()]);
    expect(first).toEqual({ ready: true });
    expect(second).toBe(first);
    await load();
    expect(calls).toBe(2);
  });
});
