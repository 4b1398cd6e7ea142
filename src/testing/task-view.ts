import { type FakeFileFormat, fileURL } from "./files.js";
import { type TaskRecord, statusAt } from "./tasks.js";

/** One entry of a successful task's `result.resources`. */
export interface FakeResource {
  /** Where the fake serves the file: `{origin}/files/{task_id}/{index}.{format}`, no key needed. */
  url: string;
  /** What the file is. */
  type: "image" | "video" | "audio";
  /** Pixels (images and videos). */
  width?: number;
  /** Pixels (images and videos). */
  height?: number;
  /** `png`, `mp4` or `wav`. */
  format: FakeFileFormat;
  /** Seconds (videos and audio). */
  duration?: number;
}

/** The transcript a speech-to-text task reports in `result.metadata.text`. */
export const FAKE_TRANSCRIPT = "This is a transcript from FakeModellix.";

const IMAGE_EDGE = 1024;
const VIDEO_SIZE = { width: 1280, height: 720 };
const VIDEO_SECONDS = 5;
const AUDIO_SECONDS = 0.1;
const MAX_IMAGES = 15;

/** The submit answer's `data`: `{ status: "pending", task_id, model_id, get_result: { method, url } }`. */
export function submitData(task: TaskRecord, taskURL: string): Record<string, unknown> {
  return { status: "pending", task_id: task.id, model_id: task.modelId, get_result: { method: "GET", url: taskURL } };
}

/**
 * A task read's `data` at `now`: `task_id`, `status`, `model_id`; once finished
 * `result_expires_at`; on success `result` with `resources`, `extensions`
 * (`submit_time`, `end_time`) and, for speech-to-text, `metadata.text`;
 * on failure `message` (`"Category: detail"`), `code` and `error` (`{ code, category, detail }`).
 * Times are written in `unit` (epoch ms, epoch seconds or ISO strings).
 */
export function taskData(task: TaskRecord, now: number, origin: string, unit: "ms" | "s" | "iso" = "ms"): Record<string, unknown> {
  const time = (ms: number) => (unit === "ms" ? ms : unit === "s" ? Math.floor(ms / 1000) : new Date(ms).toISOString());
  const status = statusAt(task, now);
  const data: Record<string, unknown> = { task_id: task.id, status, model_id: task.modelId };
  if (status === "success") {
    data.result = {
      resources: resourcesOf(task, origin),
      ...(task.output === "text" ? { metadata: { text: FAKE_TRANSCRIPT } } : {}),
      extensions: { submit_time: time(task.createdAt), end_time: time(task.finishedAt) },
    };
  }
  if (status === "failed" && typeof task.outcome === "object") {
    const { category, detail } = task.outcome;
    const code = task.outcome.code ?? category.toUpperCase().replace(/\W+/g, "_");
    data.message = `${category}: ${detail}`;
    data.code = code;
    data.error = { code, category, detail };
  }
  if (status !== "pending" && status !== "processing") data.result_expires_at = time(task.expiresAt);
  return data;
}

/**
 * The files a successful task produced: one mp4 for videos, one wav for audio,
 * none for speech-to-text; for images one png, or several when the input asks
 * (`n`, or `sequential_image_generation: "auto"` with `sequential_image_generation_max_images`).
 * Sizes follow `size` (`W*H` or `WxH`), else an aspect ratio (`aspect_ratio`, `aspectRatio`, `ratio`).
 */
export function resourcesOf(task: TaskRecord, origin: string): FakeResource[] {
  const { input } = task;
  switch (task.output) {
    case "text":
      return [];
    case "audio":
      return [{ url: fileURL(origin, task.id, 0, "wav"), type: "audio", format: "wav", duration: AUDIO_SECONDS }];
    case "video": {
      const seconds = typeof input.duration === "number" && input.duration > 0 ? input.duration : VIDEO_SECONDS;
      const { width, height } = sizeOf(input, VIDEO_SIZE.width) ?? VIDEO_SIZE;
      return [{ url: fileURL(origin, task.id, 0, "mp4"), type: "video", width, height, format: "mp4", duration: seconds }];
    }
    case "image": {
      const { width, height } = sizeOf(input, IMAGE_EDGE) ?? { width: IMAGE_EDGE, height: IMAGE_EDGE };
      return Array.from({ length: imageCount(input) }, (_, index) => ({
        url: fileURL(origin, task.id, index, "png"),
        type: "image" as const,
        width,
        height,
        format: "png" as const,
      }));
    }
  }
}

function imageCount(input: Readonly<Record<string, unknown>>): number {
  const auto = input.sequential_image_generation === "auto";
  const asked = input.n ?? (auto ? input.sequential_image_generation_max_images : undefined);
  return typeof asked === "number" && Number.isInteger(asked) ? Math.min(Math.max(asked, 1), MAX_IMAGES) : 1;
}

/** Width and height from `size` (`"W*H"` or `"WxH"`), else from an aspect ratio `"W:H"` with `edge` as the long side. */
function sizeOf(input: Readonly<Record<string, unknown>>, edge: number): { width: number; height: number } | undefined {
  const size = typeof input.size === "string" ? /^(\d+)[*x](\d+)$/.exec(input.size) : null;
  if (size) return { width: Number(size[1]), height: Number(size[2]) };
  const ratioValue = input.aspect_ratio ?? input.aspectRatio ?? input.ratio;
  const ratio = typeof ratioValue === "string" ? /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratioValue) : null;
  if (!ratio) return undefined;
  const w = Number(ratio[1]);
  const h = Number(ratio[2]);
  if (!(w > 0 && h > 0)) return undefined;
  return w >= h ? { width: edge, height: Math.round((edge * h) / w) } : { width: Math.round((edge * w) / h), height: edge };
}
