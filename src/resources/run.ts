import { isRecord } from "../core/envelope.js";
import type { InputOf, genericInput } from "../models/schemas.js";
import { type TaskContext, type TaskPromise, toTaskPromise } from "../task.js";
import { type SubmitOptions, specOf, submitTask } from "./submit.js";

/** Input of `client.run()`: the common parameters (`prompt`, `size`, `seed`, ...) and any model-specific field. `model` is the argument. */
export type RunInput = InputOf<typeof genericInput, never> & { model?: never };

/**
 * Submits a task of any type (`r2v`, `v2v`, or one newer than this SDK) to
 * `POST /{type}/{provider}/{model_id}/async`, validated by the type's schema
 * (the namespace's for the five, else the common parameters only).
 */
export function runTask(context: TaskContext, type: string, model: string, input: RunInput, options?: SubmitOptions): TaskPromise {
  const submit = async () => submitTask(context, specOf(type), isRecord(input) ? { ...input, model } : input, options);
  return toTaskPromise(submit());
}
