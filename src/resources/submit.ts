import { isRecord } from "../core/envelope.js";
import { InvalidResponseError, NotFoundError, SubmitOutcomeUnknownError } from "../core/errors.js";
import { checkMs } from "../core/limits.js";
import { onDemand } from "../core/on-demand.js";
import { pathOf } from "../core/path.js";
import { type ResponsePromise, type WithResponse, responsePromise } from "../core/response-promise.js";
import { taskIdOf } from "../core/submit-policy.js";
import type { TaskResult, WaitOptions } from "../core/task-data.js";
import type { APIResponse, RequestOptions } from "../core/transport.js";
import { checkWebhookUrl } from "../core/webhook-url.js";
import { type ClientContext, quotaHoldFor } from "../context.js";
import { isBinary } from "../models/binary.js";
import { Task } from "../task.js";
import { loadUploads } from "./files.js";

/** Per-call options of a submit. */
export interface SubmitOptions extends RequestOptions {
  /**
   * Where Modellix POSTs the task's end (`X-Webhook-URL`); overrides the client's
   * `webhookUrl`. https, or http for localhost only. The task is then polled only
   * as a safety net (`pollInterval.webhookMs`): see `client.webhooks.handle`.
   */
  webhookUrl?: string | undefined;
}

/** A validated submit: the model's real slug and the body to post (without `model`). */
export interface PreparedSubmit {
  model: string;
  body: Record<string, unknown>;
}

/**
 * The input checks, the catalog and the per-model parameters, loaded on the
 * first submit: a browser bundle carries them as a separate chunk.
 */
export const loadValidation = onDemand(() => import("../models/prepare.js"));

/** How {@link prepareSubmit} reads its input: see `PrepareOptions` of the validation chunk. */
export interface PrepareHow {
  /** The type came from `client.run` (any type, not only a namespace). */
  runType?: boolean;
  /** The model, given apart from the input, which is then the body as it is. */
  slug?: string;
}

/**
 * Validates `input` for a namespace, or for any type given to `client.run`:
 * the model's real slug and the body. Throws `ValidationError`; sends nothing.
 */
export async function prepareSubmit(context: ClientContext, namespace: string, input: unknown, how: PrepareHow = {}): Promise<PreparedSubmit> {
  const { prepareInput } = await loadValidation();
  const { model, body, spelledAs } = await prepareInput(namespace, input, how);
  if (spelledAs) context.logger.log("debug", `model "${spelledAs}" is the docs spelling; sending "${model}"`, { model, spelledAs });
  return { model, body };
}

/**
 * Validates `input` (nothing is sent when it is invalid), uploads any binary
 * values in it (a failed upload sends no submit), waits for a team-quota slot
 * and sends the paid POST once (see the submit policy). Resolves with a tracked {@link Task}.
 */
export async function submitTask(
  context: ClientContext,
  namespace: string,
  input: unknown,
  options: SubmitOptions = {},
  how: PrepareHow = {},
): Promise<WithResponse<Task>> {
  checkMs("timeout", options.timeout, { infinite: true });
  checkWebhookUrl("webhookUrl", options.webhookUrl);
  const prepared = await prepareSubmit(context, namespace, input, how);
  const body = await withUploads(context.transport, prepared.body, isBinary, options);
  return sendPrepared(context, namespace, { model: prepared.model, body }, options);
}

/**
 * The body with its binary values (top level, or in a top-level array)
 * uploaded and replaced by their URLs; the body itself when it holds none, so
 * the upload code loads only for a body that needs it.
 */
export async function withUploads(
  transport: ClientContext["transport"],
  body: Record<string, unknown>,
  isBinary: (value: unknown) => boolean,
  options: RequestOptions,
): Promise<Record<string, unknown>> {
  const holdsFile = Object.values(body).some((value) => isBinary(value) || (Array.isArray(value) && value.some(isBinary)));
  if (!holdsFile) return body;
  const { uploadInputFiles } = await loadUploads();
  return uploadInputFiles(transport, body, isBinary, options);
}

/**
 * Waits for a team-quota slot and sends an already validated submit once.
 * `beforeSend` runs once the slot is granted, just before the POST (a batch
 * journals its intent there); if it throws, the slot is given back and nothing is sent.
 * A submit that fails gives its slot back at once when it surely created no task,
 * else after the quota hold (its task may be running); the submit's own error
 * is what the caller gets, even when the release fails.
 */
export async function sendPrepared(
  context: ClientContext,
  type: string,
  { model, body }: PreparedSubmit,
  options: SubmitOptions = {},
  beforeSend?: () => Promise<void>,
): Promise<WithResponse<Task>> {
  const webhookUrl = checkWebhookUrl("webhookUrl", options.webhookUrl) ?? context.webhookUrl;
  const sent = webhookUrl ? { ...options, headers: { ...options.headers, "X-Webhook-URL": webhookUrl } } : options;
  const slotId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  await context.queue.acquire(slotId, options.signal);
  let response: APIResponse;
  let taskId: string;
  try {
    await beforeSend?.();
    response = await context.transport.submit(pathOf(...model.split("/")), body, { type, model }, sent);
    taskId = readTaskId(response, type, model);
  } catch (error) {
    // A submit whose outcome is unknown may have started a task that counts against the team quota.
    const afterMs = error instanceof SubmitOutcomeUnknownError ? quotaHoldFor(context, type) : undefined;
    try {
      await context.queue.release(slotId, { afterMs });
    } catch (releaseError) {
      context.logger.log("warn", `could not release a quota slot after a failed submit: ${String(releaseError)}`);
    }
    // A 404 for a mistyped slug names the nearest known ones.
    throw error instanceof NotFoundError ? await (await loadValidation()).explainUnknownModel(error, model) : error;
  }
  const submitted = isRecord(response.data) ? response.data : undefined;
  const task = new Task(context, { id: taskId, type, model, createdAt: new Date(), slotId, webhook: webhookUrl !== undefined, submitted });
  return {
    data: task,
    // Built only for `.withResponse()` / `.asResponse()`: most submits never ask.
    get response() {
      return response.response;
    },
  };
}

/** The task id of a submit answer; a 2xx without one may still have created a task. */
function readTaskId({ data, attempt, sentAt, status, requestId }: APIResponse, type: string, model: string): string {
  const id = taskIdOf(data);
  if (id !== undefined) return id;
  throw new SubmitOutcomeUnknownError({
    reason: "unreadable_response",
    attempt,
    type,
    model,
    sentAt,
    status,
    requestId,
    cause: new InvalidResponseError({ status, message: "Invalid Response: the submit answer has no task_id", requestId }),
  });
}

/** A promise of a submitted `Task` that can also `.wait()` for its result, and give the submit's HTTP response. */
export interface TaskPromise extends ResponsePromise<Task> {
  /** Waits for the submitted task's result (see `Task.wait`). */
  wait(options?: WaitOptions): Promise<TaskResult>;
}

/** Wraps a submit's `{ data: task, response }` as a {@link TaskPromise}. */
export function toTaskPromise(submit: Promise<WithResponse<Task>>): TaskPromise {
  return responsePromise(submit, (task) => ({ wait: (options?: WaitOptions) => task.then((handle) => handle.wait(options)) }));
}
