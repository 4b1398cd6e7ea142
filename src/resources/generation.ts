import type { GenerationType } from "../models/defaults.js";
import { type TaskContext, type TaskPromise, toTaskPromise } from "../task.js";
import { type SubmitOptions, type SubmitSpec, specOf, submitTask } from "./submit.js";

/** What every generation namespace (`t2i`, `i2v`, `t2v`, `i2i`, `expansion`) shares: a validated, quota-aware `submit`. */
export abstract class Generation<TInput> {
  readonly #context: TaskContext;
  readonly #spec: SubmitSpec;

  protected constructor(context: TaskContext, type: GenerationType) {
    this.#context = context;
    this.#spec = specOf(type);
  }

  /**
   * Validates `input` (nothing is sent if it is invalid), waits for a free
   * team-quota slot and submits the task. Resolves with a {@link Task};
   * chain `.wait()` to get its result directly.
   */
  submit(input: TInput, options?: SubmitOptions): TaskPromise {
    return toTaskPromise(submitTask(this.#context, this.#spec, input, options));
  }
}
