import type * as z from "zod/mini";
import { isRecord } from "../core/envelope.js";
import { InvalidResponseError, SubmitOutcomeUnknownError, ValidationError } from "../core/errors.js";
import { pathOf } from "../core/path.js";
import type { APIResponse, RequestOptions } from "../core/transport.js";
import { validate } from "../core/validate.js";
import { knownModelType } from "../models/catalog.js";
import { type GenerationType, defaultModels, isGenerationType, namespaceOf } from "../models/defaults.js";
import {
  expansionInput,
  genericInput,
  imageToImageInput,
  imageToVideoInput,
  textToImageInput,
  textToVideoInput,
} from "../models/schemas.js";
import { Task, type TaskContext, quotaHoldFor } from "../task.js";

/** Per-call options of a submit. */
export interface SubmitOptions extends RequestOptions {}

/** What one submit needs: the model type, its schema, the fallback model. */
export interface SubmitSpec {
  type: string;
  schema: z.ZodMiniType<Record<string, unknown>>;
  defaultModel: string | undefined;
}

/**
 * Validates `input`, waits for a team-quota slot, sends the paid POST once
 * (see the transport's submit safety) and returns a tracked {@link Task}.
 * Nothing is sent when the input is invalid.
 */
export async function submitTask(context: TaskContext, spec: SubmitSpec, input: unknown, options: SubmitOptions = {}): Promise<Task> {
  return sendPrepared(context, spec.type, prepareSubmit(spec, input), options);
}

/** The schema and default model for a model type: its namespace's, or the generic ones for any other type. Throws {@link ValidationError} for a malformed type. */
export function specOf(type: unknown): SubmitSpec {
  if (typeof type !== "string" || !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(type)) {
    throw new ValidationError([{ path: "type", message: 'must be a model type such as "t2i", "r2v" or "v2v"' }], "input");
  }
  if (!isGenerationType(type)) return { type, schema: genericInput, defaultModel: undefined };
  return { type, schema: generationSchemas[type], defaultModel: defaultModels[type] };
}

const generationSchemas: Record<GenerationType, z.ZodMiniType<Record<string, unknown>>> = {
  t2i: textToImageInput,
  i2v: imageToVideoInput,
  t2v: textToVideoInput,
  i2i: imageToImageInput,
  expansion: expansionInput,
};

/** A validated submit: the model slug and the body to post. */
export interface PreparedSubmit {
  model: string;
  body: Record<string, unknown>;
}

/** Waits for a team-quota slot and sends an already validated submit once (see {@link submitTask}). */
export async function sendPrepared(context: TaskContext, type: string, { model, body }: PreparedSubmit, options: SubmitOptions = {}): Promise<Task> {
  const slotId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  await context.quota.acquire(slotId, options.signal);
  let taskId: string;
  try {
    const response = await context.transport.submit(pathOf(type, ...model.split("/"), "async"), body, { type, model }, options);
    taskId = readTaskId(response, type, model);
  } catch (error) {
    // A submit whose outcome is unknown may have started a task that counts against the team quota.
    const afterMs = error instanceof SubmitOutcomeUnknownError ? quotaHoldFor(context, type) : undefined;
    await context.quota.release(slotId, { afterMs });
    throw error;
  }
  return new Task(context, { id: taskId, type, model, createdAt: new Date(), slotId });
}

/** The validated body (without `model`) and the model slug a submit will use. Throws {@link ValidationError}. */
export function prepareSubmit(spec: SubmitSpec, input: unknown): PreparedSubmit {
  const parsed = validate(spec.schema, input, `${spec.type} input`);
  const { model = spec.defaultModel, ...body } = parsed as { model?: string } & Record<string, unknown>;
  if (!model) throw new ValidationError([{ path: "model", message: "is required for this model type" }], `${spec.type} input`);
  const knownType = knownModelType(model);
  if (knownType && knownType !== spec.type && isGenerationType(spec.type)) {
    throw new ValidationError(
      [{ path: "model", message: `${model} is a ${knownType} model: use ${namespaceOf(knownType)} instead` }],
      `${spec.type} input`,
    );
  }
  return { model, body };
}

/** The task id of a submit answer; a 2xx without one may still have created a task. */
function readTaskId({ data, attempt, sentAt, status, requestId }: APIResponse, type: string, model: string): string {
  const id = isRecord(data) ? (data.task_id ?? data.id) : undefined;
  if (typeof id === "string" && id.length > 0) return id;
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
