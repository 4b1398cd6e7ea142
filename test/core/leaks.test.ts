import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Issue 16 #4: every request made with a caller's long-lived AbortSignal used to keep about 5 kB for good
// (a listener on `AbortSignal.any(...)` that was never removed). Counted in a child process with `--expose-gc`:
// what the caller's signal holds, and the heap a read leaves behind once collected.
describe("a caller's long-lived AbortSignal", () => {
  it("keeps nothing of the requests made with it: no listener, no memory, no MaxListeners warning", () => {
    const script = `
      import { getEventListeners } from "node:events";
      import Modellix from "./src/index.ts";
      // Like Node's fetch, this one builds a Request, which follows the signal it is given.
      const fetch = async (input, init) => {
        new Request(input, init);
        return Response.json({ code: 0, message: "success", data: { balance: 1 } });
      };
      const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch, logLevel: "off" });
      const { signal } = new AbortController(); // lives as long as the app
      const settle = async () => {
        for (let i = 0; i < 6; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const reads = async (count) => {
        for (let i = 0; i < count; i++) await client.account.balance({ signal });
      };
      await reads(300);
      await Promise.all(Array.from({ length: 20 }, () => client.account.balance({ signal })));
      await settle();
      const before = process.memoryUsage().heapUsed;
      await reads(3000);
      await settle();
      const bytesPerRead = Math.round((process.memoryUsage().heapUsed - before) / 3000);
      console.log(JSON.stringify({ listeners: getEventListeners(signal, "abort").length, bytesPerRead }));
    `;
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
    expect(child.stderr).toBe("");
    const kept = JSON.parse(child.stdout) as { listeners: number; bytesPerRead: number };
    expect(kept.listeners).toBe(0);
    expect(kept.bytesPerRead).toBeLessThan(1500); // the old core kept about 6,000 per read
  }, 150_000);
});
