import type { Resource } from "../core/task-data.js";
import type { Task } from "../task.js";
import type { Progress } from "./progress.js";
import { download } from "../node/download.js";
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
  /** Paths of the downloaded files, with `--out`. */
  files?: string[];
}

/**
 * Waits for `task` with a progress display, downloads its files into `--out`
 * (or `outDefault`), and prints the file paths, else the result URLs, one a line.
 */
export async function waitAndReport(task: Task, context: CommandContext, progress: Progress, outDefault?: string): Promise<number> {
  const { values, io, output } = context;
  const outDir = stringOption(values, "out") ?? outDefault;
  let json: ResultJSON;
  let files: string[] | undefined;
  try {
    const result = await task.wait({
      timeout: secondsOption(values, "timeout"),
      signal: io.signal,
      onProgress: (snapshot) => progress.update(`${task.id} ${snapshot.status}`),
    });
    json = { taskId: result.taskId, type: task.type, model: result.model, status: "success", resources: result.resources };
    if (outDir !== undefined) {
      const count = result.resources.length;
      progress.update(`${task.id} downloading ${count} file(s) into ${outDir}`);
      const saved = await download(result, outDir, {
        signal: io.signal,
        onProgress: ({ index, bytes }) => progress.detail(`(file ${index + 1}: ${formatBytes(bytes)})`),
      });
      files = saved.map((file) => file.path);
    }
  } finally {
    progress.stop();
  }
  output.result(files ?? json.resources.map((resource) => resource.url), files ? { ...json, files } : json);
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(0)} kB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
