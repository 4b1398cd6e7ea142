import type * as z from "zod/mini";
import { isRecord } from "../core/envelope.js";
import { InvalidResponseError, SubmitOutcomeUnknownError, ValidationError } from "../core/errors.js";
import { pathOf } from "../core/path.js";
import type { RequestOptions } from "../core/transport.js";
import { validate } from "../core/validate.js";
import { knownModelType } from "../models/catalog.js";
import { isGenerationType, namespaceOf } from "../models/defaults.js";
import { Task, type TaskContext } from "../task.js";

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
  const { model, body } = prepareSubmit(spec, input);
  const slotId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  await context.quota.acquire(slotId, options.signal);
  let taskId: string;
  try {
    const response = await context.transport.submit(pathOf(spec.type, ...model.split("/"), "async"), body, { type: spec.type, model }, options);
    taskId = readTaskId(response.data, spec.type, model, response.requestId);
  } catch (error) {
    await context.quota.release(slotId);
    throw error;
  }
  return new Task(context, { id: taskId, type: spec.type, model, createdAt: new Date(), slotId });
}

/** The validated body (without `model`) and the model slug a submit will use. Throws {@link ValidationError}. */
export function prepareSubmit(spec: SubmitSpec, input: unknown): { model: string; body: Record<string, unknown> } {
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
function readTaskId(data: unknown, type: string, model: string, requestId: string | undefined): string {
  const id = isRecord(data) ? (data.task_id ?? data.id) : undefined;
  if (typeof id === "string" && id.length > 0) return id;
  throw new SubmitOutcomeUnknownError({
    reason: "unreadable_response",
    attempt: 1,
    type,
    model,
    sentAt: new Date(),
    status: 200,
    requestId,
    cause: new InvalidResponseError({ status: 200, message: "Invalid Response: the submit answer has no task_id", requestId }),
  });
}
