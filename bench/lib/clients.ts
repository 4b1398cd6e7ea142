/**
 * One submit + one poll, through each client, against the local API server
 * (lib/api-server.ts): the cycle the CPU comparison times. Each function builds
 * its client once and returns the cycle; a cycle checks the final status, so a
 * broken client cannot look fast.
 */
import { createFalClient } from "@fal-ai/client";
import OpenAI from "openai";
import Replicate from "replicate";
import { sdk } from "./sdk.js";

/** One submit + one status read. */
export type Cycle = () => Promise<void>;

const KEY = "bench-key";
/** A Modellix model and input: validated by the SDK against the catalog (seedream 4.5 takes `WIDTHxHEIGHT` sizes). */
export const MODEL = "bytedance/seedream-4.5-t2i";
export const INPUT = { prompt: "a lighthouse at dawn", size: "2048x2048" } as const;

function expect(actual: unknown, wanted: string, who: string): void {
  if (actual !== wanted) throw new Error(`${who}: expected status ${wanted}, got ${String(actual)}`);
}

/** The floor: the same POST + GET with raw `fetch` and `JSON.parse`, nothing else. */
export function rawFetchCycle(origin: string): Cycle {
  const submitURL = `${origin}/api/v1/${MODEL}`;
  const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  return async () => {
    const submitted = (await (await fetch(submitURL, { method: "POST", headers, body: JSON.stringify(INPUT) })).json()) as { data: { task_id: string } };
    const read = (await (await fetch(`${origin}/api/v1/tasks/${encodeURIComponent(submitted.data.task_id)}`, { headers })).json()) as {
      data: { status: string };
    };
    expect(read.data.status, "success", "raw fetch");
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

/** modellix: a validated `t2i.submit()` (quota slot, retry policy, timeout) and one `task.status()`. */
export function modellixCycle(origin: string, extra: Record<string, unknown> = {}): Cycle {
  const client = new sdk.Modellix(modellixOptions(origin, extra));
  return async () => {
    const task = await client.t2i.submit({ model: MODEL, ...INPUT });
    const snapshot = await task.status();
    expect(snapshot.status, "success", "modellix");
  };
}

/** openai-node: `videos.create()` and one `videos.retrieve()` (its own submit-and-poll API). */
export function openaiCycle(origin: string): Cycle {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${origin}/v1` });
  return async () => {
    const video = await client.videos.create({ model: "sora-2", prompt: INPUT.prompt, seconds: "4", size: "720x1280" });
    const read = await client.videos.retrieve(video.id);
    expect(read.status, "completed", "openai");
  };
}

/** @fal-ai/client: `queue.submit()` and one `queue.status()`, through its proxy mode (the proxy is the local server). */
export function falCycle(origin: string): Cycle {
  const fal = createFalClient({ credentials: KEY, proxyUrl: { url: `${origin}/fal-proxy`, when: "always" } });
  const endpoint = "fal-ai/flux/dev";
  return async () => {
    const { request_id } = await fal.queue.submit(endpoint, { input: { prompt: INPUT.prompt, image_size: "square_hd" } });
    const status = await fal.queue.status(endpoint, { requestId: request_id });
    expect(status.status, "COMPLETED", "fal");
  };
}

/** replicate: `predictions.create()` and one `predictions.get()`. */
export function replicateCycle(origin: string): Cycle {
  const client = new Replicate({ auth: KEY, baseUrl: `${origin}/v1` });
  const version = "8beff3369e81422112d93b89ca01426147de542cd4684c244b673b105188fe5f";
  return async () => {
    const prediction = await client.predictions.create({ version, input: { prompt: INPUT.prompt } });
    const read = await client.predictions.get(prediction.id);
    expect(read.status, "succeeded", "replicate");
  };
}
