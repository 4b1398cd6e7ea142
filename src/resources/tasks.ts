import { ValidationError } from "../core/errors.js";
import { parseApiTime } from "../core/time.js";
import type { ClientContext } from "../context.js";
import { Task } from "../task.js";

/** Options of {@link Tasks.retrieve}. */
export interface RetrieveOptions {
  /** The model type, which picks the default wait timeout. */
  type?: string | undefined;
  /** The model slug, for results and errors (the same slug a submit reports). */
  model?: string | undefined;
  /** When the task was created (a Date, an ISO string, or Unix seconds or milliseconds): lets a 404 after its retention be reported as `TaskExpiredError`. */
  createdAt?: Date | string | number | undefined;
}

/** Tasks by id: resume a task submitted earlier, in this process or another. */
export class Tasks {
  readonly #context: ClientContext;

  /** @internal */
  constructor(context: ClientContext) {
    this.#context = context;
  }

  /**
   * A handle on an existing task. Sends nothing until you call `status()`,
   * `wait()` or `updates()`: `await client.tasks.retrieve(id).wait()`. Every
   * handle on one id (and the submit's own Task) shares one polling loop.
   */
  retrieve(id: string, options: RetrieveOptions = {}): Task {
    if (typeof id !== "string" || id.trim() === "") {
      throw new ValidationError([{ path: "id", message: "must be a non-empty task id string" }], "task id");
    }
    const given = options.createdAt;
    const createdAt = given === undefined || given instanceof Date ? given : parseApiTime(given);
    if (given !== undefined && !(createdAt && Number.isFinite(createdAt.getTime()))) {
      throw new ValidationError([{ path: "createdAt", message: "must be a Date, an ISO 8601 string or a Unix time in seconds or milliseconds" }], "options");
    }
    return new Task(this.#context, { id, type: options.type, model: options.model, createdAt });
  }
}
