/**
 * The four ways of waiting the waiting benchmark compares, each over a server of
 * its own behind the same simulated network (lib/latency.ts), with the same
 * task durations (read from the task's prompt, `task {index}`):
 * - modellix: the SDK from src/ (`client.t2i.submit(…).wait()`, default schedule,
 *   its own quota) over the SDK's `FakeModellix`, whose finished tasks carry
 *   `extensions.submit_time` / `end_time` (sent as ISO strings, as the API's docs show them);
 * - replicate: `replicate.predictions.create()` + `replicate.wait()` (the package's
 *   own loop: a read at once, then one every 500 ms) over lib/replicate-api.ts;
 * - fal: `fal.subscribe()` in polling mode (the package's own loop: a status read at
 *   once, then one every 500 ms, then the result) over lib/fal-api.ts;
 * - fixed 2 s: raw `fetch`, a read 2 s after the submit and every 2 s after that,
 *   over its own `FakeModellix`.
 * The three without a quota of their own wait behind a p-queue of the same concurrency.
 */
import { createFalClient } from "@fal-ai/client";
import PQueue from "p-queue";
import Replicate from "replicate";
import type { FakeClock } from "../../src/testing/index.js";
import { falApi } from "./fal-api.js";
import { withLatency } from "./latency.js";
import { replicateApi } from "./replicate-api.js";
import { sdk, testing } from "./sdk.js";
import { SimulatedTasks } from "./simulated-tasks.js";

const KEY = "bench-key";
/** Every simulated server answers at this origin; the requests never leave the process. */
const ORIGIN = "http://127.0.0.1:9";
const MODEL = "bytedance/seedream-4.5-t2i";
const FAL_ENDPOINT = "fal-ai/flux/dev";

/** The contenders, in the order the tables list them. */
export const WAITERS = ["modellix", "replicate", "fal", "fixed 2 s"] as const;
/** One of {@link WAITERS}. */
export type WaiterName = (typeof WAITERS)[number];

/** What each contender is, for the setup text. */
export const WAITER_NOTES: Record<WaiterName, string> = {
  modellix: "`client.t2i.submit(…).wait()`: the SDK from src/ with its default schedule and its own quota (`maxConcurrentTasks`)",
  replicate: "`predictions.create()` + `replicate.wait(prediction)` (replicate 1.4: a read at once, then every 500 ms)",
  fal: "`fal.subscribe(…)` in polling mode (@fal-ai/client 1.10: a status read at once, then every 500 ms, then `GET` the result)",
  "fixed 2 s": "raw `fetch`: submit, then a read every 2 s from the submit's answer",
};

/** The run's conditions, the same for every contender. */
export interface WaitSetup {
  clock: FakeClock;
  /** A task's run time on the server, from its input. */
  durationOf(input: Readonly<Record<string, unknown>>): number;
  /** Tasks running at once: the team quota for modellix (client and server), the limiter's concurrency for the others. */
  quota: number;
  /** Every request's round trip. */
  roundTripMs: number;
}

/** One task as its server saw it. */
export interface ServedTask {
  index: number;
  /** When the server ended it (ms). */
  endedAt: number;
  /** Status reads it received. */
  polls: number;
}

/** A contender, ready to run tasks. */
export interface Waiter {
  /** Submits task `index` and resolves once the caller holds its result. */
  run(index: number): Promise<void>;
  /** Every task its server created, read after the run. */
  served(): ServedTask[];
  /** 429 answers its server sent. */
  tooManyRequests(): number;
}

/** The prompt that carries a task's index. */
export function promptOf(index: number): string {
  return `task ${index}`;
}

/** The index a task's prompt carries. */
export function indexOf(input: Readonly<Record<string, unknown>>): number {
  return Number(String(input.prompt).split(" ")[1]);
}

function limiter(quota: number): PQueue {
  return new PQueue({ concurrency: quota });
}

function modellixWaiter(setup: WaitSetup): Waiter {
  const fake = fakeModellix(setup);
  const client = new sdk.Modellix({
    apiKey: KEY,
    baseURL: ORIGIN,
    fetch: withLatency((request) => isoExtensions(fake, request), setup.roundTripMs),
    logLevel: "off",
    maxConcurrentTasks: setup.quota,
  });
  return {
    run: async (index) => {
      await client.t2i.submit({ model: MODEL, prompt: promptOf(index) }).wait();
    },
    served: () => servedByFake(fake),
    tooManyRequests: () => fake.stats.tooManyRequests.concurrency + fake.stats.tooManyRequests.rateLimit,
  };
}

function fixedWaiter(setup: WaitSetup): Waiter {
  const fake = fakeModellix(setup);
  const send = withLatency((request) => isoExtensions(fake, request), setup.roundTripMs);
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const queue = limiter(setup.quota);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    run: (index) =>
      queue.add(async () => {
        const submit = await send(`${ORIGIN}/api/v1/${MODEL}`, { method: "POST", headers, body: JSON.stringify({ prompt: promptOf(index) }) });
        const { data } = (await submit.json()) as { data: { task_id: string } };
        for (let status = "pending"; status !== "success" && status !== "failed"; ) {
          await sleep(2000);
          const read = await send(`${ORIGIN}/api/v1/tasks/${encodeURIComponent(data.task_id)}`, { headers });
          status = ((await read.json()) as { data: { status: string } }).data.status;
        }
      }),
    served: () => servedByFake(fake),
    tooManyRequests: () => fake.stats.tooManyRequests.concurrency + fake.stats.tooManyRequests.rateLimit,
  };
}

function replicateWaiter(setup: WaitSetup): Waiter {
  const tasks = new SimulatedTasks(setup.clock, setup.durationOf, "p");
  const base = `${ORIGIN}/replicate/v1`;
  const replicate = new Replicate({ auth: KEY, baseUrl: base, fetch: withLatency(replicateApi(tasks, base), setup.roundTripMs) });
  const queue = limiter(setup.quota);
  return {
    run: (index) =>
      queue.add(async () => {
        const prediction = await replicate.predictions.create({ version: "8beff3369e81422112d93b89ca01426147de542cd4684c244b673b105188fe5f", input: { prompt: promptOf(index) } });
        await replicate.wait(prediction);
      }),
    served: () => servedBySimulation(tasks),
    tooManyRequests: () => 0,
  };
}

function falWaiter(setup: WaitSetup): Waiter {
  const tasks = new SimulatedTasks(setup.clock, setup.durationOf, "req-");
  const fal = createFalClient({
    credentials: KEY,
    proxyUrl: { url: `${ORIGIN}/fal-proxy`, when: "always" },
    fetch: withLatency(falApi(tasks), setup.roundTripMs),
  });
  const queue = limiter(setup.quota);
  return {
    run: (index) =>
      queue.add(async () => {
        await fal.subscribe(FAL_ENDPOINT, { input: { prompt: promptOf(index) }, mode: "polling" });
      }),
    served: () => servedBySimulation(tasks),
    tooManyRequests: () => 0,
  };
}

/** The SDK's fake with this run's durations and quota, and a rate limit out of reach. */
function fakeModellix(setup: WaitSetup) {
  return new testing.FakeModellix({
    clock: setup.clock,
    durationMs: (task) => setup.durationOf(task.input),
    maxConcurrentTasks: setup.quota,
    rateLimit: 1e9,
  });
}

/**
 * The fake's answer to `request`, with a finished task's `extensions.submit_time` and
 * `end_time` as ISO strings, the form the API's docs show (the fake sends epoch ms).
 */
async function isoExtensions(fake: InstanceType<typeof testing.FakeModellix>, request: Request): Promise<Response> {
  const response = await fake.fetch(request);
  if (request.method !== "GET" || !response.ok) return response;
  const body = (await response.json()) as { data?: { result?: { extensions?: Record<string, unknown> } } };
  const extensions = body.data?.result?.extensions;
  for (const key of ["submit_time", "end_time"]) {
    const value = extensions?.[key];
    if (extensions && typeof value === "number") extensions[key] = new Date(value).toISOString();
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

function servedByFake(fake: InstanceType<typeof testing.FakeModellix>): ServedTask[] {
  const polls = new Map<string, number>();
  for (const request of fake.requests) {
    if (request.method !== "GET" || request.route !== "task") continue;
    const id = request.path.slice(request.path.lastIndexOf("/") + 1);
    polls.set(id, (polls.get(id) ?? 0) + 1);
  }
  return fake.tasks.map((task) => ({ index: indexOf(task.input), endedAt: task.finishedAt, polls: polls.get(task.id) ?? 0 }));
}

function servedBySimulation(tasks: SimulatedTasks): ServedTask[] {
  return tasks.list().map((task) => ({ index: indexOf(task.input), endedAt: task.endsAt, polls: task.reads }));
}

/** Builds a contender for one run. */
export function makeWaiter(name: WaiterName, setup: WaitSetup): Waiter {
  switch (name) {
    case "modellix":
      return modellixWaiter(setup);
    case "replicate":
      return replicateWaiter(setup);
    case "fal":
      return falWaiter(setup);
    case "fixed 2 s":
      return fixedWaiter(setup);
  }
}
