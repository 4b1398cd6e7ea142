/**
 * 4. Memory: heap per live Task handle, with 10,000 submitted tasks waiting at
 * once. Run with `node --expose-gc` (the runner does).
 */
import type { Task, TaskResult } from "../src/index.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { sdk, testing } from "./lib/sdk.js";
import { kilobytes, ratio, round } from "./lib/stats.js";

const HANDLES = 10_000;
const HOUR = 3_600_000;
const MODEL = "bytedance/seedream-4-5-t2i";

/**
 * Heap in use after full collections. Each collection runs in a new macrotask:
 * V8 keeps the targets of WeakRefs made during the current job alive until it ends
 * (undici's Request makes some), which would count finished requests as live.
 */
async function heapUsed(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** What each live handle holds: the Task, its pending `wait()` and its quota slot. */
async function sdkHandles(): Promise<{ bytesPerHandle: number; keep: unknown }> {
  const fake = new testing.FakeModellix({ durationMs: 0, pendingMs: 0, maxConcurrentTasks: 1e9, rateLimit: 1e9 });
  const options = { apiKey: "bench-key", baseURL: "https://api.modellix.test/api/v1", fetch: fake.fetch, logLevel: "off" as const, maxConcurrentTasks: 1e9 };
  // Warm every code path on a throw-away client whose tasks end at the first poll.
  const warm = new sdk.Modellix({ ...options, pollInterval: { initialMs: 1, maxMs: 1 } });
  await Promise.all(Array.from({ length: 200 }, (_, index) => warm.t2i.submit({ model: MODEL, prompt: `warm ${index}` }).wait()));
  fake.configure({ durationMs: 2 * HOUR });
  const client = new sdk.Modellix({ ...options, pollInterval: { initialMs: HOUR, maxMs: HOUR } });
  fake.reset();
  const before = await heapUsed();
  const tasks: Task[] = await Promise.all(Array.from({ length: HANDLES }, (_, index) => client.t2i.submit({ model: MODEL, prompt: `task ${index}` })));
  const waits: Promise<TaskResult>[] = tasks.map((task) => task.wait({ timeout: 2 * HOUR }));
  fake.reset(); // forget the fake's own records: only the client's memory is left
  const after = await heapUsed();
  return { bytesPerHandle: (after - before) / HANDLES, keep: [client, tasks, waits] };
}

/** The floor: a hand-rolled poller per task, holding an id, a poll timer and a pending promise. */
async function bareHandles(): Promise<{ bytesPerHandle: number; keep: unknown }> {
  const before = await heapUsed();
  const handles = Array.from({ length: HANDLES }, (_, index) => {
    const handle: { id: string; timer?: ReturnType<typeof setTimeout>; done?: Promise<unknown> } = { id: `task-${index}-abcdef` };
    handle.done = new Promise((resolve) => {
      handle.timer = setTimeout(resolve, HOUR);
      handle.timer.unref();
    });
    return handle;
  });
  const after = await heapUsed();
  return { bytesPerHandle: (after - before) / HANDLES, keep: handles };
}

/** Measures both and saves `results/memory.json`. */
export async function measureMemory(): Promise<BenchResult> {
  const bare = await bareHandles();
  const sdk = await sdkHandles();
  const figures = { sdkBytesPerHandle: round(sdk.bytesPerHandle, 0), bareBytesPerHandle: round(bare.bytesPerHandle, 0) };
  const result = saveResult({
    name: "memory",
    title: "4. Memory per waiting Task",
    setup:
      `${HANDLES.toLocaleString("en")} tasks submitted through one client (in-process fake, quota out of reach, first poll an hour away), ` +
      "each with a pending `task.wait()`; `heapUsed` after forced GCs, before and after, with the fake's own records dropped before the second reading. " +
      "A handle counts the Task, its wait, its poll timer and its quota slot. The floor is a hand-rolled poller per task: an id, one timer and one pending promise.",
    rows: [
      {
        id: 4,
        measurement: `heap per waiting Task (${HANDLES.toLocaleString("en")} live)`,
        modellix: kilobytes(sdk.bytesPerHandle),
        baseline: `hand-rolled poller ${kilobytes(bare.bytesPerHandle)}`,
        ratio: ratio(sdk.bytesPerHandle / bare.bytesPerHandle),
        target: "",
      },
    ],
    detail: table(
      ["handles", "modellix heap", "per handle", "hand-rolled heap", "per handle"],
      [[HANDLES, kilobytes(sdk.bytesPerHandle * HANDLES), `${figures.sdkBytesPerHandle} B`, kilobytes(bare.bytesPerHandle * HANDLES), `${figures.bareBytesPerHandle} B`]],
    ),
    data: { handles: HANDLES, ...figures },
  });
  void sdk.keep;
  void bare.keep;
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await measureMemory();
  process.exit(0); // the waits and their hour-long timers would keep the process alive
}
