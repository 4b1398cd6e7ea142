import { loadValidation } from "../resources/submit.js";
import type { Task } from "../task.js";
import { openSession } from "./client.js";
import { UsageError } from "./exit-codes.js";
import { History } from "./history.js";
import { safeText } from "./safe-text.js";
import { type CommandContext, type OptionSpec, flag } from "./spec.js";
import { waitAndReport } from "./wait.js";

/** The option of every submitting command that makes it return at once. */
export const noWaitOption: Record<string, OptionSpec> = {
  "no-wait": { type: "boolean", description: "submit, print the task id and exit (resume with `modellix task wait <id>`)" },
};

/** One paid submit as a command describes it: the type to submit through, the model (none: the type's default) and the body. */
export interface SubmitRequest {
  /** A namespace code (`t2i`), an API type (`text-to-image`) or a family (`r2v`), as `client.run()` takes it. */
  type: string;
  model: string | undefined;
  body: Record<string, unknown>;
  /** How progress names it: `t2i`, or the model slug. */
  label: string;
  /**
   * Send the body as it is, as `client.run()` does (`modellix run`): fields a
   * known model does not take are noted and sent, not refused.
   */
  asGiven?: boolean;
}

/**
 * Validates the request (nothing is sent, nor recorded, when it is invalid;
 * with `asGiven`, fields the model does not list are noted, then sent),
 * records the intent in the history, submits it once through `client.run()`,
 * records the task id (or that the outcome is unknown), then either prints the
 * id (`--no-wait`) or waits and reports the result.
 */
export async function submitAndReport(context: CommandContext, request: SubmitRequest): Promise<number> {
  const { values, io, output } = context;
  if (flag(values, "no-wait") && (values.out !== undefined || values.timeout !== undefined)) {
    throw new UsageError("--no-wait does not wait, so it takes neither --out nor --timeout");
  }
  const { prepareInput } = await loadValidation();
  const { model, unknownFields = [] } =
    request.asGiven && request.model !== undefined
      ? await prepareInput(request.type, request.body, { runType: true, slug: request.model })
      : await prepareInput(request.type, request.model === undefined ? request.body : { ...request.body, model: request.model }, { runType: true });
  for (const { field, suggestion } of unknownFields) {
    output.note(`${safeText(model, 200)} does not list ${safeText(field, 80)}${suggestion ? ` (did you mean ${suggestion}?)` : ""}; sent as given`);
  }
  const { client } = await openSession(context, { requireKey: true });
  const history = new History(io, output);
  const ref = history.newRef(request.type, model);
  const progress = output.progress();
  progress.update(`submitting ${request.label} task`);
  await history.intent(ref);
  let task: Task;
  try {
    task = await client.run(request.type, request.model ?? model, request.body, { signal: io.signal });
  } catch (error) {
    progress.stop();
    await history.failed(ref, error);
    throw error;
  }
  await history.created(ref, task.id);
  progress.note(`task ${safeText(task.id, 200)} submitted (${safeText(model, 200)})`);
  if (flag(values, "no-wait")) {
    progress.stop();
    output.result([safeText(task.id, 200)], { taskId: task.id, type: task.type, model: task.model, status: "pending" });
    return 0;
  }
  return waitAndReport(task, context, history, progress);
}
