/**
 * One model call as one Modellix task, through the client's public API:
 * `client.run()` (the model's validation, uploads, the team quota, and a paid
 * POST sent at most once), then the task's `wait()` or `status()`. Every
 * failure leaves as the AI SDK's error (see errors.ts): retryable only while
 * no task can exist.
 */
import type { JSONObject } from "@ai-sdk/provider";
import type { Modellix, Task, TaskResult } from "../index.js";
import type { ModelFacts } from "./catalog.js";
import { type FailureContext, toProviderError } from "./errors.js";

/** A submit the provider makes. */
export interface TaskCall {
  client: Modellix;
  model: ModelFacts;
  body: Record<string, unknown>;
  signal: AbortSignal | undefined;
  /** The AI SDK's `headers` option: extra request headers. */
  headers: Record<string, string | undefined> | undefined;
  /** Where Modellix posts the task's end (`X-Webhook-URL`), from the AI SDK's `webhook` option. */
  webhookUrl?: string | undefined;
}

/**
 * The call's headers that have a value, but `User-Agent`: the AI SDK sets its
 * own there, and the client sends the SDK's.
 */
export function definedHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0].toLowerCase() !== "user-agent"),
  );
}

function submitURL({ client, model }: TaskCall): string {
  return `${client.baseURL}/api/v1/${model.slug.split("/").map(encodeURIComponent).join("/")}`;
}

/** The URL of a task read. */
function taskURL(client: Modellix, taskId: string): string {
  return `${client.baseURL}/api/v1/tasks/${encodeURIComponent(taskId)}`;
}

/** Submits the call's task once and resolves with its handle. */
export async function submit(call: TaskCall): Promise<Task> {
  const { client, model, body, signal, headers, webhookUrl } = call;
  try {
    return await client.run(model.namespace, model.slug, body, { signal, headers: definedHeaders(headers), webhookUrl });
  } catch (error) {
    throw toProviderError(error, { url: submitURL(call), body, model: model.slug, repeatable: true });
  }
}

/** A task that exists: its client, id and model slug. */
export interface TaskRef {
  client: Modellix;
  taskId: string;
  model: string;
}

/**
 * Runs `work` on an existing task; its failure names the task. Unless
 * `repeatable` (a read), the AI SDK must not retry it: that would submit again.
 */
export async function onTask<T>(ref: TaskRef, work: () => Promise<T>, context: Pick<FailureContext, "body" | "repeatable">): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toProviderError(error, { ...context, url: taskURL(ref.client, ref.taskId), model: ref.model, taskId: ref.taskId });
  }
}

/**
 * Submits the call's task once and waits for its result. Resolves with the
 * task, its result, and `after`: what to run on the task next (downloads), whose
 * failures name the task and are not retried either.
 */
export async function run(call: TaskCall): Promise<{ task: Task; result: TaskResult; after: <T>(work: () => Promise<T>) => Promise<T> }> {
  const task = await submit(call);
  const ref = { client: call.client, taskId: task.id, model: call.model.slug };
  const after = <T>(work: () => Promise<T>) => onTask(ref, work, { body: call.body, repeatable: false });
  return { task, result: await after(() => task.wait({ signal: call.signal })), after };
}

/** `providerMetadata.modellix` of a task: its id, the model's slug and when its files expire (ISO 8601, or null). */
export function taskMetadata(taskId: string, model: string, expiresAt: Date | undefined): JSONObject {
  return { taskId, model, expiresAt: expiresAt?.toISOString() ?? null };
}

/** The response part of a result: when the task was submitted, and the model. */
export function responseOf(task: Pick<Task, "createdAt">, model: ModelFacts): { timestamp: Date; modelId: string; headers: undefined } {
  return { timestamp: task.createdAt ?? new Date(), modelId: model.slug, headers: undefined };
}
