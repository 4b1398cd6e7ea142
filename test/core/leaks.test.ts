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

// Issue 16 #3: the pollers of finished tasks were put back in the client's registry by reading `task.latest`,
// `expiresAt` or `status()` after `wait()`, and never left: about 4 kB per task, for good. The tasks are let go
// after; what the client itself keeps is what stays on the heap.
describe("finished tasks", () => {
  it("leave nothing in the client once the caller lets them go, whatever was read after wait()", () => {
    const script = `
      import Modellix from "./src/index.ts";
      import { FakeModellix } from "./src/testing/index.ts";
      const fake = new FakeModellix({ pendingMs: 0, durationMs: 0, maxConcurrentTasks: 10_000, rateLimit: 1e9 });
      const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch: fake.fetch, logLevel: "off", maxConcurrentTasks: 10_000, pollInterval: { initialMs: 1, maxMs: 1, minMs: 1 } });
      const settle = async () => {
        for (let i = 0; i < 6; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const run = async (count) => {
        for (let i = 0; i < count; i++) {
          const task = await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "x" });
          await task.wait();
          void task.latest;
          void task.expiresAt;
          await task.status();
        }
      };
      await run(200);
      fake.reset();
      await settle();
      const before = process.memoryUsage().heapUsed;
      await run(2000);
      fake.reset();
      await settle();
      console.log(JSON.stringify({ bytesPerTask: Math.round((process.memoryUsage().heapUsed - before) / 2000) }));
    `;
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
    expect(child.stderr).toBe("");
    const kept = JSON.parse(child.stdout) as { bytesPerTask: number };
    expect(kept.bytesPerTask).toBeLessThan(1000); // the old core kept about 4,000 per task
  }, 150_000);
});
