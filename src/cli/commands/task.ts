import type { TaskSnapshot } from "../../core/task-data.js";
import type { Task } from "../../task.js";
import { createClient } from "../client.js";
import { type CommandContext, type CommandSpec, clientOptions, onePositional } from "../spec.js";
import { waitAndReport, waitOptions } from "../wait.js";

function retrieve({ positionals, values, io }: CommandContext): Task {
  const id = onePositional(positionals, "task id", true) ?? "";
  return createClient(io, values, { requireKey: true }).tasks.retrieve(id);
}

function describe(snapshot: TaskSnapshot): string[] {
  const lines = [`${snapshot.id} ${snapshot.status}${snapshot.model ? ` (${snapshot.model})` : ""}`];
  if (snapshot.error) lines.push(`${snapshot.error.category ? `${snapshot.error.category}: ` : ""}${snapshot.error.detail}`);
  return [...lines, ...snapshot.resources.map((resource) => resource.url)];
}

/** `modellix task get | wait | download <id>`. */
export const taskCommands: CommandSpec[] = [
  {
    name: "task get",
    args: "<id>",
    summary: "Read a task's status once",
    notes: ["Prints the status, and the result URLs of a task that succeeded. Exits 0 whatever the task's status."],
    options: clientOptions,
    async run(context) {
      const snapshot = await retrieve(context).status({ signal: context.io.signal });
      const { id, status, model, resources, error } = snapshot;
      // `failure`, not `error`: with --json, a top-level `error` means the command itself failed.
      context.output.result(describe(snapshot), { taskId: id, status, model, resources, failure: error });
      return 0;
    },
  },
  {
    name: "task wait",
    args: "<id>",
    summary: "Wait for a task submitted earlier, by any process",
    notes: ["Prints the result URLs, one a line, or with --out downloads the files and prints their paths."],
    options: { ...waitOptions, ...clientOptions },
    run: (context) => waitAndReport(retrieve(context), context, context.output.progress()),
  },
  {
    name: "task download",
    args: "<id>",
    summary: "Wait for a task if needed, then download its files",
    notes: ["Downloads into --out (default: the current directory) and prints the file paths."],
    options: { ...waitOptions, ...clientOptions },
    run: (context) => waitAndReport(retrieve(context), context, context.output.progress(), "."),
  },
];
