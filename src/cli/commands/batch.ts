import { resolve } from "node:path";
import { UserAbortError, ModellixError, SubmitOutcomeUnknownError } from "../../core/errors.js";
import { download } from "../../node/download.js";
import type { BatchResult } from "../../resources/batch-state.js";
import type { JournalStore } from "../../resources/journal.js";
import { readBatchLines } from "../batch-file.js";
import { openSession } from "../client.js";
import { exitCodeOf, exitCodes } from "../exit-codes.js";
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

/**
 * How an item ended: with a result; failed; `running` or `not_sent` when
 * Ctrl-C stopped the batch (its task keeps running, or it was never sent: no
 * failure either way); `unknown` when its POST may or may not have created a task.
 */
type ItemState = "success" | "failed" | "running" | "not_sent" | "unknown";

function stateOf(result: BatchResult): ItemState {
  if (result.ok) return "success";
  if (result.error instanceof UserAbortError) return result.task ? "running" : "not_sent";
  return result.error instanceof SubmitOutcomeUnknownError ? "unknown" : "failed";
}

/** The line `batch` prints for one finished item. */
function resultLine(line: number, result: BatchResult, state: ItemState, files: string[] | undefined): string {
  const id = safeText(result.task?.id ?? "-", 200);
  if (result.ok) return `line ${line}: ${id} success ${(files ?? result.result.resources.map((resource) => safeText(resource.url, 4000))).join(" ")}`;
  if (state === "running") return `line ${line}: ${id} still running`;
  if (state === "not_sent") return `line ${line}: ${id} not sent`;
  return `line ${line}: ${id} ${state === "unknown" ? "outcome unknown" : "failed"} ${safeText(result.error.message)}`;
}

/**
 * The counts line, leaving out what did not happen (but success and failure):
 * `2 succeeded, 1 failed`; after Ctrl-C, what to resume first:
 * `3 still running (resume with \`modellix batch f.jsonl\`), 4 not sent, 1 failed, 2 succeeded`.
 */
function countsLine(counts: Record<ItemState, number>, resume: string | undefined): string {
  const parts: string[] = [];
  const withResume = (text: string) => (resume !== undefined && parts.length === 0 ? `${text} (resume with \`${resume}\`)` : text);
  if (counts.running > 0) parts.push(withResume(`${counts.running} still running`));
  if (counts.not_sent > 0) parts.push(withResume(`${counts.not_sent} not sent`));
  if (counts.unknown > 0) parts.push(`${counts.unknown} with an unknown outcome (a rerun reports them; --resubmit-unknown sends them again)`);
  parts.push(`${counts.failed} failed`);
  const succeeded = `${counts.success} succeeded`;
  return resume === undefined ? [succeeded, ...parts].join(", ") : [...parts, succeeded].join(", ");
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
    const again = ["modellix batch", source, ...(journalPath === undefined ? [] : ["--journal", journalPath])].join(" ");
    // Said at once, before the items stopped by the interruption are listed.
    const onInterrupt = () =>
      progress.above(() => output.note(`interrupted; the tasks already created keep running. \`${again}\` follows them without paying again and sends the rest`));
    io.signal.addEventListener("abort", onInterrupt, { once: true });
    const items: Array<Record<string, unknown>> = [];
    const counts: Record<ItemState, number> = { success: 0, failed: 0, running: 0, not_sent: 0, unknown: 0 };
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
        const state = stateOf(outcome);
        counts[state]++;
        if (state === "unknown" && counts.unknown === 1) {
          // Said once: otherwise the wait its slot causes looks like a stall.
          progress.above(() =>
            output.note(
              "an item whose submit outcome is unknown keeps its quota slot a minute or two, as its task may still run, so other items may wait for a slot; --resubmit-unknown sends such items again instead",
            ),
          );
        }
        const stopped = state === "running" || state === "not_sent";
        if (!outcome.ok && !stopped && (firstFailure === undefined || outcome.index < firstFailure.index)) firstFailure = { index: outcome.index, error: outcome.error };
        progress.above(() => output.line(resultLine(line, outcome, state, files)));
        items[result.index] = outcome.ok
          ? { line, ok: true, state, taskId: outcome.task.id, model: outcome.result.model, resources: outcome.result.resources, files }
          : stopped
            ? { line, ok: false, state, taskId: outcome.task?.id }
            : { line, ok: false, state, taskId: outcome.task?.id, error: { name: outcome.error.name, message: outcome.error.message, exitCode: exitCodeOf(outcome.error) } };
      }
    } finally {
      io.signal.removeEventListener("abort", onInterrupt);
      progress.stop();
    }
    const interrupted = io.signal.aborted;
    if (!output.json) output.note(countsLine(counts, interrupted ? again : undefined));
    output.result([], {
      total: items.length,
      succeeded: counts.success,
      failed: counts.failed,
      running: counts.running,
      notSent: counts.not_sent,
      unknown: counts.unknown,
      interrupted,
      items,
    });
    if (interrupted) return exitCodes.interrupted;
    return firstFailure === undefined ? 0 : exitCodeOf(firstFailure.error);
  },
};
