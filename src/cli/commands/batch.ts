import { resolve } from "node:path";
import { ModellixError } from "../../core/errors.js";
import { download } from "../../node/download.js";
import type { BatchResult } from "../../resources/batch-state.js";
import type { JournalStore } from "../../resources/journal.js";
import { readBatchLines } from "../batch-file.js";
import { openSession } from "../client.js";
import { exitCodeOf } from "../exit-codes.js";
import { History, journalIn } from "../history.js";
import { readSource } from "../input.js";
import { safeText } from "../safe-text.js";
import { waitOptions } from "../wait.js";
import { type CommandSpec, type OptionSpec, clientOptions, countOption, flag, onePositional, stringOption } from "../spec.js";

/** A journal that reads from `own` and writes to it and to the history, so `task history` lists every batch. */
function teeJournal(own: JournalStore, history: JournalStore): JournalStore {
  return {
    async append(entry) {
      await own.append(entry);
      await history.append(entry).catch(() => undefined);
    },
    read: () => own.read(),
  };
}

/** The line `batch` prints for one finished item. */
function resultLine(line: number, result: BatchResult, files: string[] | undefined): string {
  const id = safeText(result.task?.id ?? "-", 200);
  if (result.ok) return `line ${line}: ${id} success ${(files ?? result.result.resources.map((resource) => safeText(resource.url, 4000))).join(" ")}`;
  return `line ${line}: ${id} failed ${safeText(result.error.message)}`;
}

/** `modellix batch <file.jsonl>`: many tasks, validated first, run under the team quota, journaled. */
export const batchCommand: CommandSpec = {
  name: "batch",
  aliases: ["model batch"],
  args: "<file.jsonl>",
  summary: "Run one task per line of a JSON Lines file (- for stdin), checked before anything is paid",
  notes: [
    'A line: {"model":"bytedance/seedream-4.5-t2i","prompt":"a fox","size":"2048x2048"}, or {"modelSlug":"...","body":{...}};',
    '"type" is optional for models the catalog or GET /models knows. Every line is checked first: one bad line, nothing is sent.',
    "Tasks run under the team's concurrent-task quota; one line per item is printed as each ends: `line <n>: <task id> success <urls>`.",
    "Resumable: every submit is journaled (task history by default, or --journal). Run the same file again after a crash",
    "and the tasks already created are followed by id instead of paid again; an item whose POST outcome is unknown is",
    "reported, not resent (--resubmit-unknown resends it). Change a line, or use a new --journal, to generate it anew.",
  ],
  options: {
    out: { type: "string", short: "o", value: "<dir>", description: "download each result into this directory as it ends" },
    journal: { type: "string", value: "<path>", description: "this batch's own journal file (default: the task history); entries also go to the history" },
    "resubmit-unknown": { type: "boolean", description: "send again the items whose earlier POST outcome is unknown (each may then be billed twice)" },
    concurrency: { type: "string", value: "<n>", description: "items submitted or waited on at once (default all; the team quota still applies)" },
    "dry-run": { type: "boolean", description: "check every line and exit: nothing is sent" },
    "poll-interval": waitOptions["poll-interval"] as OptionSpec,
    ...clientOptions,
  },
  async run(context) {
    const { positionals, values, io, output } = context;
    const source = onePositional(positionals, "batch file", true);
    const text = await readSource(source, io, "batch");
    const concurrency = countOption(values, "concurrency", 1);
    let session: Awaited<ReturnType<typeof openSession>> | undefined;
    const connect = async () => {
      session ??= await openSession(context, { requireKey: true });
      return session;
    };
    const lines = await readBatchLines(text, async () => (await connect()).client.models.list({ signal: io.signal }));
    if (flag(values, "dry-run")) {
      output.result([`${lines.length} task(s) checked; nothing was sent`], { ok: true, total: lines.length, sent: 0 });
      return 0;
    }
    const { client } = await connect();
    const history = new History(io, output);
    const journalPath = stringOption(values, "journal");
    const journal = journalPath === undefined ? history.store : teeJournal(journalIn(resolve(journalPath)), history.store);
    const progress = output.progress();
    const outDir = stringOption(values, "out");
    progress.update(`${lines.length} task(s) checked; submitting`);
    const run = client.batch(
      lines.map((line) => line.item),
      {
        journal,
        signal: io.signal,
        concurrency,
        resubmitUnknown: flag(values, "resubmit-unknown"),
        onProgress: (counts) =>
          progress.update(`${counts.succeeded + counts.failed}/${counts.total} done, ${counts.running} running${counts.resumed ? `, ${counts.resumed} resumed` : ""}`),
      },
    );
    const items: Array<Record<string, unknown>> = [];
    let firstFailure: { index: number; error: unknown } | undefined;
    try {
      for await (const result of run) {
        const line = lines[result.index]?.line ?? result.index + 1;
        let files: string[] | undefined;
        let outcome: BatchResult = result;
        if (result.ok && outDir !== undefined) {
          try {
            files = (await download(result.result, outDir, { signal: io.signal })).map((file) => file.path);
          } catch (error) {
            const failure = error instanceof ModellixError ? error : new ModellixError(error instanceof Error ? error.message : String(error), { cause: error });
            outcome = { index: result.index, ok: false, error: failure, task: result.task };
          }
        }
        if (!outcome.ok && (firstFailure === undefined || outcome.index < firstFailure.index)) firstFailure = { index: outcome.index, error: outcome.error };
        progress.above(() => output.line(resultLine(line, outcome, files)));
        items[result.index] = outcome.ok
          ? { line, ok: true, taskId: outcome.task.id, model: outcome.result.model, resources: outcome.result.resources, files }
          : { line, ok: false, taskId: outcome.task?.id, error: { name: outcome.error.name, message: outcome.error.message, exitCode: exitCodeOf(outcome.error) } };
      }
    } finally {
      progress.stop();
    }
    if (io.signal.aborted) {
      const again = ["modellix batch", source, ...(journalPath === undefined ? [] : ["--journal", journalPath])].join(" ");
      output.note(`interrupted; the tasks already created keep running. \`${again}\` follows them without paying again`);
    }
    const failed = items.filter((item) => item.ok === false).length;
    if (!output.json) output.note(`${items.length - failed} succeeded, ${failed} failed`);
    output.result([], { total: items.length, succeeded: items.length - failed, failed, items });
    return firstFailure === undefined ? 0 : exitCodeOf(firstFailure.error);
  },
};
