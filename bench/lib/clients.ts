/**
 * One submit + three polls, through each client, against the local API server
 * (lib/api-server.ts, where a new task reads as queued, running, then done): the
 * cycle the CPU comparison times. Each function builds its client once and
 * returns the cycle; a cycle checks every status it reads, so a broken client
 * cannot look fast.
 */
import { createFalClient } from "@fal-ai/client";
import OpenAI from "openai";
import Replicate from "replicate";
import { sdk } from "./sdk.js";

/** One submit + three status reads. */
export type Cycle = () => Promise<void>;

const KEY = "bench-key";
/** A Modellix model and input: validated by the SDK against the catalog (seedream 4.5 takes `WIDTHxHEIGHT` sizes). */
export const MODEL = "bytedance/seedream-4.5-t2i";
export const INPUT = { prompt: "a lighthouse at dawn", size: "2048x2048" } as const;

function expect(actual: unknown, wanted: string, who: string): void {
  if (actual !== wanted) throw new Error(`${who}: expected status ${wanted}, got ${String(actual)}`);
}

/** Reads a task three times with `read`, expecting the API's queued, running and done statuses in turn. */
async function poll(read: () => Promise<unknown>, statuses: readonly [string, string, string], who: string): Promise<void> {
  for (const wanted of statuses) expect(await read(), wanted, who);
}

/** The floor: the same POST + GETs with raw `fetch` and `JSON.parse`, nothing else. */
export function rawFetchCycle(origin: string): Cycle {
  const submitURL = `${origin}/api/v1/${MODEL}`;
  const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  return async () => {
    const submitted = (await (await fetch(submitURL, { method: "POST", headers, body: JSON.stringify(INPUT) })).json()) as { data: { task_id: string } };
    const taskURL = `${origin}/api/v1/tasks/${encodeURIComponent(submitted.data.task_id)}`;
    const read = async () => ((await (await fetch(taskURL, { headers })).json()) as { data: { status: string } }).data.status;
    await poll(read, ["pending", "processing", "success"], "raw fetch");
  };
}

/** Modellix options of the CPU comparison: the quota and the background poll out of reach, logging off. */
export function modellixOptions(origin: string, extra: Record<string, unknown> = {}) {
  return {
    apiKey: KEY,
    baseURL: origin,
    logLevel: "off" as const,
    maxConcurrentTasks: 1_000_000,
    pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 },
    ...extra,
  };
}

/** modellix: a validated `t2i.submit()` (quota slot, retry policy, timeout) and three `task.status()`. */
export function modellixCycle(origin: string, extra: Record<string, unknown> = {}): Cycle {
  const client = new sdk.Modellix(modellixOptions(origin, extra));
  return async () => {
    const task = await client.t2i.submit({ model: MODEL, ...INPUT });
    await poll(async () => (await task.status()).status, ["pending", "processing", "success"], "modellix");
  };
}

/** openai-node: `videos.create()` and three `videos.retrieve()` (its own submit-and-poll API). */
export function openaiCycle(origin: string): Cycle {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${origin}/v1` });
  return async () => {
    const video = await client.videos.create({ model: "sora-2", prompt: INPUT.prompt, seconds: "4", size: "720x1280" });
    await poll(async () => (await client.videos.retrieve(video.id)).status, ["queued", "in_progress", "completed"], "openai");
  };
}

/** @fal-ai/client: `queue.submit()` and three `queue.status()`, through its proxy mode (the proxy is the local server). */
export function falCycle(origin: string): Cycle {
  const fal = createFalClient({ credentials: KEY, proxyUrl: { url: `${origin}/fal-proxy`, when: "always" } });
  const endpoint = "fal-ai/flux/dev";
  return async () => {
    const { request_id } = await fal.queue.submit(endpoint, { input: { prompt: INPUT.prompt, image_size: "square_hd" } });
    await poll(async () => (await fal.queue.status(endpoint, { requestId: request_id })).status, ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"], "fal");
  };
}

/** replicate: `predictions.create()` and three `predictions.get()`. */
export function replicateCycle(origin: string): Cycle {
  const client = new Replicate({ auth: KEY, baseUrl: `${origin}/v1` });
  const version = "8beff3369e81422112d93b89ca01426147de542cd4684c244b673b105188fe5f";
  return async () => {
    const prediction = await client.predictions.create({ version, input: { prompt: INPUT.prompt } });
    await poll(async () => (await client.predictions.get(prediction.id)).status, ["starting", "processing", "succeeded"], "replicate");
  };
}
