import { resolve } from "node:path";
import type { DownloadOptions, DownloadProgress } from "../core/task-data.js";
import type { TaskResult } from "../core/task-data.js";
import type { Task } from "../task.js";
import { fileNameFor } from "./file-name.js";
import { type SavedFile, saveTo } from "./save.js";

/** Options of {@link download}. */
export interface DownloadAllOptions extends Omit<DownloadOptions, "onProgress"> {
  /** Called each time bytes arrive, with the file's index and path. */
  onProgress?: ((progress: DownloadProgress & { index: number; path: string }) => void) | undefined;
}

/**
 * Saves every file of a task into `dir` (created if missing), one after the
 * other, as `<task id>-<index>.<extension>` (see {@link saveTo}). A task id that
 * is not a safe, lower-case file name is cleaned and gets `~` and a short hash
 * of the raw id (`a/b` → `a_b~3f9c…-0.png`), so two tasks never write to the
 * same file. Given a Task, waits for its result first.
 */
export async function download(source: TaskResult | Task, dir: string, options: DownloadAllOptions = {}): Promise<SavedFile[]> {
  const result = "wait" in source ? await source.wait({ signal: options.signal }) : source;
  const { onProgress, ...rest } = options;
  const files: SavedFile[] = [];
  for (const [index, resource] of result.resources.entries()) {
    const path = resolve(dir, fileNameFor(result.id, index, resource));
    files.push(await saveTo(resource, path, { ...rest, onProgress: onProgress && ((progress) => onProgress({ ...progress, index, path })) }));
  }
  return files;
}
