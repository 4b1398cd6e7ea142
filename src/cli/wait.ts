import { TaskFailedError, withTask } from "../core/errors.js";
import type { Resource } from "../core/task-data.js";
import { download } from "../node/download.js";
import type { TaskResult } from "../core/task-data.js";
import type { Task } from "../task.js";
import type { History } from "./history.js";
import type { Progress } from "./progress.js";
import { safeText } from "./safe-text.js";
import { type CommandContext, type OptionSpec, secondsOption, stringOption } from "./spec.js";

/** Options of every command that waits for a task. */
export const waitOptions: Record<string, OptionSpec> = {
  out: { type: "string", short: "o", value: "<dir>", description: "download the results into this directory (created if missing)" },
  timeout: { type: "string", value: "<seconds>", description: "stop waiting after this long (exit 5; the task keeps running)" },
  "poll-interval": { type: "string", value: "<seconds>", description: "time between status reads (default 2, growing to 5)" },
};

/** What a waiting command prints with `--json`. */
export interface ResultJSON {
  taskId: string;
  type: string | undefined;
  model: string | undefined;
  status: "success";
  resources: Resource[];
  expiresAt: string | undefined;
  /** Paths of the downloaded files, with `--out`. */
  files?: string[];
}

/**
 * Waits for `task` (recording its end in the history), then downloads its
 * files into `outDir` when given. Rejects as `Task.wait()` does: every error
 * names the task.
 */
export async function settle(task: Task, context: CommandContext, history: History, progress: Progress, outDir: string | undefined): Promise<ResultJSON> {
  const { values, io } = context;
  let result: TaskResult;
  try {
    result = await task.wait({
      timeout: secondsOption(values, "timeout"),
      signal: io.signal,
      onProgress: (snapshot) => progress.update(`${safeText(task.id, 200)} ${safeText(snapshot.rawStatus || snapshot.status, 40)}`),
    });
  } catch (error) {
    if (error instanceof TaskFailedError) await history.ended(task.id, "failed", task);
    throw error;
  }
  await history.ended(task.id, "success", task);
  const json: ResultJSON = {
    taskId: result.id,
    type: task.type,
    model: result.model,
    status: "success",
    resources: result.resources,
    expiresAt: result.expiresAt?.toISOString(),
  };
  if (outDir === undefined) return json;
  progress.update(`${safeText(task.id, 200)} downloading ${result.resources.length} file(s) into ${outDir}`);
  try {
    const saved = await download(result, outDir, {
      signal: io.signal,
      onProgress: ({ index, bytes }) => progress.detail(`(file ${index + 1}: ${formatBytes(bytes)})`),
    });
    return { ...json, files: saved.map((file) => file.path) };
  } catch (error) {
    throw withTask(error, task); // an interrupted download names the task, whose results `modellix task wait` fetches again
  }
}

/**
 * Waits for `task` with a progress display, downloads its files into `--out`
 * (or `outDefault`), and prints the file paths, else the result URLs, one a line.
 */
export async function waitAndReport(task: Task, context: CommandContext, history: History, progress: Progress, outDefault?: string): Promise<number> {
  let json: ResultJSON;
  try {
    json = await settle(task, context, history, progress, stringOption(context.values, "out") ?? outDefault);
  } finally {
    progress.stop();
  }
  context.output.result(json.files ?? json.resources.map((resource) => safeText(resource.url, 4000)), json);
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(0)} kB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
