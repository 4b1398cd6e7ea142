import { type FakeFileFormat, fileURL } from "./files.js";
import { parseSize } from "./submit-validation.js";
import { isVideoType } from "./task-types.js";
import { type TaskRecord, statusAt } from "./tasks.js";

/** One entry of a successful task's `result.resources`. */
export interface FakeResource {
  url: string;
  type: "image" | "video";
  width: number;
  height: number;
  format: FakeFileFormat;
  duration?: number;
}

const IMAGE_SIZE = { width: 1024, height: 1024 };
const VIDEO_SIZE = { width: 1280, height: 720 };
const VIDEO_SECONDS = 5;
const MAX_IMAGES = 4;

/** The submit answer's `data`. */
export function submitData(task: TaskRecord, taskURL: string): Record<string, unknown> {
  return { status: "pending", task_id: task.id, model_id: task.modelId, get_result: { method: "GET", url: taskURL } };
}

/** A task read's `data` at `now`: status, plus `result` on success or `error` and `message` on failure. */
export function taskData(task: TaskRecord, now: number, origin: string): Record<string, unknown> {
  const status = statusAt(task, now);
  const data: Record<string, unknown> = {
    task_id: task.id,
    status,
    model_id: task.modelId,
    created_at: new Date(task.createdAt).toISOString(),
  };
  if (status === "success") data.result = { resources: resourcesOf(task, origin) };
  if (status === "failed" && task.outcome !== "success") {
    const { category, detail, code } = task.outcome;
    data.error = { code: code ?? category.toUpperCase().replace(/\W+/g, "_"), category, detail };
    data.message = `${category}: ${detail}`;
  }
  return data;
}

/**
 * The files a successful task produced: one mp4 for videos; for images one png,
 * or `n` of them (1–4) when the input asks for several. Sizes follow the `size` input.
 */
export function resourcesOf(task: TaskRecord, origin: string): FakeResource[] {
  const video = isVideoType(task.type);
  const { width, height } = parseSize(task.input.size) ?? (video ? VIDEO_SIZE : IMAGE_SIZE);
  if (video) {
    const seconds = typeof task.input.duration === "number" && task.input.duration > 0 ? task.input.duration : VIDEO_SECONDS;
    return [{ url: fileURL(origin, task.id, 0, "mp4"), type: "video", width, height, format: "mp4", duration: seconds }];
  }
  const n = task.input.n;
  const count = typeof n === "number" && Number.isInteger(n) ? Math.min(Math.max(n, 1), MAX_IMAGES) : 1;
  return Array.from({ length: count }, (_, index) => ({
    url: fileURL(origin, task.id, index, "png"),
    type: "image" as const,
    width,
    height,
    format: "png" as const,
  }));
}
