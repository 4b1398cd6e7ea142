import { TaskFailedError } from "../../core/errors.js";
import type { TaskSnapshot } from "../../core/task-data.js";
import { openSession } from "../client.js";
import { UsageError, exitCodeOf } from "../exit-codes.js";
import { History } from "../history.js";
import { safeText } from "../safe-text.js";
import { type CommandContext, type CommandSpec, clientOptions, countOption, flag, noPositionals, onePositional, stringOption } from "../spec.js";
import { formatTable } from "../table.js";
import { type ResultJSON, settle, waitAndReport, waitOptions } from "../wait.js";

/** The lines `task get` prints: id, status and model; the failure; the result URLs. All server text made terminal-safe. */
function describe(snapshot: TaskSnapshot): string[] {
  const status = safeText(snapshot.rawStatus || snapshot.status, 40);
  const lines = [`${safeText(snapshot.id, 200)} ${status}${snapshot.model ? ` (${safeText(snapshot.model, 200)})` : ""}`];
  if (snapshot.error) lines.push(`${snapshot.error.category ? `${safeText(snapshot.error.category, 200)}: ` : ""}${safeText(snapshot.error.detail)}`);
  if (snapshot.expiresAt) lines.push(`files expire at ${snapshot.expiresAt.toISOString()}`);
  return [...lines, ...snapshot.resources.map((resource) => safeText(resource.url, 4000))];
}

/** One task of `task wait <id...>`, as it ended. */
interface WaitOutcome {
  taskId: string;
  ok: boolean;
  result?: ResultJSON;
  error?: unknown;
}

/** Waits for several tasks at once, printing one line per task as each ends; exits with the code of the first failure (in argument order). */
async function waitMany(context: CommandContext, ids: readonly string[]): Promise<number> {
  const { values, io, output } = context;
  const { client } = await openSession(context, { requireKey: true });
  const history = new History(io, output);
  const progress = output.progress();
  const outDir = stringOption(values, "out");
  let done = 0;
  progress.update(`waiting for ${ids.length} tasks`);
  const outcomes = await Promise.all(
    ids.map(async (id): Promise<WaitOutcome> => {
      const task = client.tasks.retrieve(id);
      const quiet = { update() {}, detail() {}, note() {}, above: (write: () => void) => write(), stop() {} };
      const outcome: WaitOutcome = await settle(task, context, history, quiet, outDir).then(
        (result) => ({ taskId: id, ok: true, result }),
        (error: unknown) => ({ taskId: id, ok: false, error }),
      );
      done++;
      const shown = safeText(id, 200);
      const detail = outcome.result
        ? (outcome.result.files ?? outcome.result.resources.map((resource) => safeText(resource.url, 4000))).join(" ")
        : safeText(outcome.error instanceof Error ? outcome.error.message : String(outcome.error));
      progress.update(`${done}/${ids.length} done`);
      const ended = outcome.ok ? "success" : outcome.error instanceof TaskFailedError ? outcome.error.status : "failed";
      progress.above(() => output.line(`${shown} ${ended} ${detail}`));
      return outcome;
    }),
  );
  progress.stop();
  const failures = outcomes.filter((outcome) => !outcome.ok);
  if (io.signal.aborted) {
    const open = failures.filter((outcome) => !(outcome.error instanceof TaskFailedError)).map((outcome) => safeText(outcome.taskId, 200));
    if (open.length > 0) output.note(`interrupted; resume with: modellix task wait ${open.join(" ")}`);
  }
  output.result([], {
    tasks: outcomes.map((outcome) =>
      outcome.ok
        ? { ...outcome.result, ok: true }
        : { taskId: outcome.taskId, ok: false, error: { name: (outcome.error as Error)?.name, message: String((outcome.error as Error)?.message ?? outcome.error), exitCode: exitCodeOf(outcome.error) } },
    ),
  });
  return failures.length === 0 ? 0 : exitCodeOf(failures[0]?.error);
}

/** `modellix task get | wait | download <id>`. */
export const taskCommands: CommandSpec[] = [
  {
    name: "task get",
    args: "<id>",
    summary: "Read a task's status once",
    notes: ["Prints the status, the failure reason of a failed task, and the result URLs of a task that succeeded. Exits 0 whatever the task's status."],
    options: clientOptions,
    async run(context) {
      const id = onePositional(context.positionals, "task id", true);
      const { client } = await openSession(context, { requireKey: true });
      const snapshot = await client.tasks.retrieve(id).status({ signal: context.io.signal });
      if (snapshot.status === "success" || snapshot.status === "failed" || snapshot.status === "canceled") {
        const ended = snapshot.status === "success" ? "success" : "failed";
        await new History(context.io, context.output).ended(id, ended, { type: undefined, model: snapshot.model });
      }
      const { status, rawStatus, model, resources, error, expiresAt } = snapshot;
      // `failure`, not `error`: with --json, a top-level `error` means the command itself failed.
      context.output.result(describe(snapshot), { taskId: snapshot.id, status, rawStatus, model, resources, failure: error, expiresAt: expiresAt?.toISOString() });
      return 0;
    },
  },
  {
    name: "task wait",
    args: "<id...>",
    summary: "Wait for tasks submitted earlier, by any process",
    notes: [
      "One id: prints the result URLs, one a line, or with --out downloads the files and prints their paths.",
      "Several ids: waits for all at once and prints one line per task as it ends: `<id> success <urls or paths>` or `<id> failed <reason>`.",
    ],
    options: { ...waitOptions, ...clientOptions },
    async run(context) {
      const ids = context.positionals;
      if (ids.length === 0 || ids.some((id) => id.trim() === "")) throw new UsageError("missing task id");
      if (ids.length > 1) return waitMany(context, [...new Set(ids)]);
      const { client } = await openSession(context, { requireKey: true });
      const id = ids[0] as string;
      return waitAndReport(client.tasks.retrieve(id), context, new History(context.io, context.output), context.output.progress());
    },
  },
  {
    name: "task download",
    args: "<id>",
    summary: "Wait for a task if needed, then download its files",
    notes: ["Downloads into --out (default: the current directory) and prints the file paths."],
    options: { ...waitOptions, ...clientOptions },
    async run(context) {
      const id = onePositional(context.positionals, "task id", true);
      const { client } = await openSession(context, { requireKey: true });
      return waitAndReport(client.tasks.retrieve(id), context, new History(context.io, context.output), context.output.progress(), ".");
    },
  },
  {
    name: "task history",
    aliases: ["history"],
    args: "",
    summary: "List the tasks this machine submitted (local journal; no key, no bodies)",
    notes: [
      "Reads the journal that `modellix batch` and every submit keep (history.jsonl beside the config file).",
      "States: submitting (stopped before its outcome was recorded: a task may exist), created, success, failed,",
      "unknown (the POST's outcome is unknown: check before submitting again), not_created (refused or never sent).",
    ],
    options: {
      limit: { type: "string", short: "n", value: "<n>", description: "show the n newest (default 20)" },
      all: { type: "boolean", description: "show every entry" },
    },
    async run(context) {
      noPositionals(context.positionals, "task history");
      const history = new History(context.io, context.output);
      const limit = flag(context.values, "all") ? Number.POSITIVE_INFINITY : (countOption(context.values, "limit", 1) ?? 20);
      const tasks = await history.list();
      const shown = tasks.slice(0, limit);
      const rows = shown.map((task) => [
        task.submittedAt.toISOString(),
        safeText(task.taskId ?? "-", 200),
        task.state,
        safeText(task.model, 200),
        safeText(task.type, 40),
      ]);
      const lines = rows.length ? formatTable(rows) : [`No tasks recorded yet in ${history.path}`];
      if (tasks.length > shown.length) lines.push(`(${tasks.length - shown.length} older; --all shows every entry)`);
      context.output.result(lines, { path: history.path, total: tasks.length, tasks: shown });
      return 0;
    },
  },
];
