/**
 * 4. Memory: heap per live Task with 10,000 tasks at once, waiting and not.
 * Run with `node --expose-gc` (the runner does).
 */
import PQueue from "p-queue";
import type { Task, TaskResult } from "../src/index.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { sdk } from "./lib/sdk.js";
import { kilobytes, ratio, round } from "./lib/stats.js";

const HANDLES = 10_000;
const HOUR = 3_600_000;
const MODEL = "bytedance/seedream-4.5-t2i";

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

/** A fetch answering a submit with a new task id and a read with `pending`, in-process (no fake server records to subtract). */
function stubFetch(): typeof fetch {
  let count = 0;
  const headers = { "content-type": "application/json" };
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (request.body) await request.text();
    if (request.method === "POST") {
      const id = `task-${(++count).toString().padStart(8, "0")}-${"x".repeat(12)}`;
      return new Response(JSON.stringify({ code: 0, message: "success", data: { status: "pending", task_id: id, model_id: MODEL } }), { headers });
    }
    const id = new URL(request.url).pathname.split("/").pop();
    return new Response(JSON.stringify({ code: 0, message: "success", data: { status: "pending", task_id: id, model_id: MODEL } }), { headers });
  };
}

function client() {
  return new sdk.Modellix({
    apiKey: "bench-key",
    baseURL: "https://api.modellix.test",
    fetch: stubFetch(),
    logLevel: "off",
    maxConcurrentTasks: 1e9,
    pollInterval: { initialMs: HOUR, maxMs: HOUR },
  });
}

interface Measured {
  label: string;
  what: string;
  bytesPerHandle: number;
}

/** Measures the heap that `make` adds per handle while its result is held, then lets it go. */
async function measure(label: string, what: string, make: () => Promise<unknown>): Promise<Measured> {
  const before = await heapUsed();
  let kept: unknown = await make();
  const after = await heapUsed();
  void kept;
  kept = undefined;
  return { label, what, bytesPerHandle: (after - before) / HANDLES };
}

const submitAll = (c: ReturnType<typeof client>): Promise<Task[]> =>
  Promise.all(Array.from({ length: HANDLES }, (_, index) => c.t2i.submit({ model: MODEL, prompt: `task ${index}` })));

/** Measures every kind of handle and saves `results/memory.json`. */
export async function measureMemory(): Promise<BenchResult> {
  // Warm every code path (and load the validation chunk) on a throw-away client, long enough
  // for V8 to finish optimizing them: code compiled during a measurement would count as per-task heap.
  const warm = client();
  const warmTasks = await Promise.all(Array.from({ length: 3000 }, (_, index) => warm.t2i.submit({ model: MODEL, prompt: `warm ${index}` })));
  await Promise.all(warmTasks.map((task) => task.wait({ timeout: 1 }).catch(() => undefined)));
  await Promise.all(Array.from({ length: 3000 }, (_, index) => warm.tasks.retrieve(`task-warm-${index}`).wait({ timeout: 1 }).catch(() => undefined)));
  await new Promise((resolve) => setTimeout(resolve, 20));

  const results: Measured[] = [];
  results.push(
    await measure("hand-rolled poller", "an id, one poll timer and one pending promise per task: the floor", async () =>
      Array.from({ length: HANDLES }, (_, index) => {
        const handle: { id: string; timer?: ReturnType<typeof setTimeout>; done?: Promise<unknown> } = { id: `task-${index}-abcdef` };
        handle.done = new Promise((resolve) => {
          handle.timer = setTimeout(resolve, HOUR);
          handle.timer.unref();
        });
        return handle;
      }),
    ),
  );
  results.push(
    await measure("p-queue job held open", "what the quota costs each live task on its own: a p-queue job pending for the task's life (a promise and its resolver)", async () => {
      const queue = new PQueue({ concurrency: Number.POSITIVE_INFINITY });
      const releases: (() => void)[] = [];
      for (let index = 0; index < HANDLES; index++) void queue.add(() => new Promise<void>((release) => releases.push(release)));
      await new Promise((resolve) => setTimeout(resolve, 0));
      return [queue, releases];
    }),
  );
  results.push(
    await measure("submitted Task, no wait", "`await client.t2i.submit(…)` held: the Task, its poller and background poll timer, its quota slot", async () => {
      const c = client();
      return [c, await submitAll(c)];
    }),
  );
  results.push(
    await measure("submitted Task + `wait()`", "the same with a pending `task.wait()` each: the headline figure", async () => {
      const c = client();
      const tasks = await submitAll(c);
      const waits: Promise<TaskResult>[] = tasks.map((task) => task.wait({ timeout: 2 * HOUR }));
      for (const wait of waits) wait.catch(() => undefined);
      return [c, tasks, waits];
    }),
  );
  results.push(
    await measure("retrieved Task + `wait()`", "`client.tasks.retrieve(id).wait()`: no quota slot, polling for the wait", async () => {
      const c = client();
      const tasks = Array.from({ length: HANDLES }, (_, index) => c.tasks.retrieve(`task-${index.toString().padStart(8, "0")}-${"y".repeat(12)}`));
      const waits = tasks.map((task) => task.wait({ timeout: 2 * HOUR }));
      for (const wait of waits) wait.catch(() => undefined);
      return [c, tasks, waits];
    }),
  );
  const [floor, job, , headline, retrieved] = results as [Measured, Measured, Measured, Measured, Measured];
  return saveResult({
    name: "memory",
    title: "4. Memory per live Task",
    setup:
      `${HANDLES.toLocaleString("en")} tasks at once through one client (an in-process stub fetch answers submits with new ids and reads with \`pending\`; quota out of reach; first poll an hour away); ` +
      "`heapUsed` after forced collections before and after, divided by the tasks. Each kind is measured on a fresh client, after the previous one was let go.",
    rows: [
      {
        id: 4,
        measurement: `heap per waiting Task (${HANDLES.toLocaleString("en")} live)`,
        modellix: `${kilobytes(headline.bytesPerHandle)}`,
        baseline: `hand-rolled poller ${kilobytes(floor.bytesPerHandle)}`,
        ratio: ratio(headline.bytesPerHandle / floor.bytesPerHandle),
        target: "reported (no budget)",
      },
      {
        id: 4,
        measurement: "the same without the quota's p-queue job",
        modellix: `${kilobytes(headline.bytesPerHandle - job.bytesPerHandle)}`,
        baseline: `p-queue job alone ${kilobytes(job.bytesPerHandle)}`,
        ratio: "",
        target: "",
      },
      {
        id: 4,
        measurement: "heap per waiting resumed Task (`tasks.retrieve(id).wait()`, no quota slot)",
        modellix: `${kilobytes(retrieved.bytesPerHandle)}`,
        baseline: `hand-rolled poller ${kilobytes(floor.bytesPerHandle)}`,
        ratio: ratio(retrieved.bytesPerHandle / floor.bytesPerHandle),
        target: "reported (no budget)",
      },
    ],
    detail: table(
      ["handle", "per handle", "÷ hand-rolled", "what it holds"],
      results.map((result) => [result.label, `${round(result.bytesPerHandle, 0)} B`, ratio(result.bytesPerHandle / floor.bytesPerHandle), result.what]),
    ),
    data: { handles: HANDLES, results: results.map((result) => ({ ...result, bytesPerHandle: round(result.bytesPerHandle, 0) })) },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await measureMemory();
  process.exit(0); // the waits and their hour-long timers would keep the process alive
}
