/**
 * Files in and out: the AI SDK's input files as values the client sends (a
 * URL as it is; bytes as a typed `Blob`, which the client uploads through the
 * media-file API after validating the body), the role of each file field of a
 * model, and result files as bytes with their media type.
 */
import type { ImageModelV4File, Experimental_VideoModelV4File as VideoModelV4File } from "@ai-sdk/provider";
import type { Resource } from "../index.js";

/** What a file field of a model is for, read from its name. */
export type MediaRole = "image" | "last-frame" | "video" | "audio" | "mask";

/**
 * The role of a file field: `video_urls`, `first_clip` → video; `audio_url`,
 * `sound_file` → audio; `mask`, `static_mask` → mask; `last_frame_image`,
 * `image_tail` → last frame; any other (`image`, `images`, `first_frame_image`,
 * `reference_images`, `img_url`, `url` ...) → image.
 */
export function mediaRole(name: string): MediaRole {
  if (/video|clip/i.test(name)) return "video";
  if (/audio|sound/i.test(name)) return "audio";
  if (/mask/i.test(name)) return "mask";
  if (/last|tail/i.test(name)) return "last-frame";
  return "image";
}

/** Bytes from the AI SDK's base64 text or binary data. */
function bytesOf(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === "string" ? Uint8Array.from(atob(data), (char) => char.charCodeAt(0)) : data.slice();
}

/** A value the client sends for a file: the URL of a `url` file, else its bytes as a `Blob` of its media type (uploaded). */
export function uploadable(file: ImageModelV4File | VideoModelV4File): string | Blob {
  return file.type === "url" ? file.url : new Blob([bytesOf(file.data)], { type: file.mediaType });
}

/** Audio bytes (or base64) as a `Blob` of `mediaType`, which the client uploads. */
export function audioBlob(audio: string | Uint8Array, mediaType: string): Blob {
  return new Blob([bytesOf(audio)], { type: mediaType });
}

/** True for a video reference: a `video/*` media type, or a URL with a video file extension. */
export function isVideo(file: VideoModelV4File): boolean {
  if (file.mediaType !== undefined) return file.mediaType.startsWith("video/");
  return file.type === "url" && /\.(mp4|mov|webm|m4v|mkv)(?:[?#]|$)/i.test(file.url);
}

/** A downloaded result file. */
export interface Downloaded {
  data: Uint8Array;
  /** Its `Content-Type`, when the server sent a useful one. */
  mediaType: string | undefined;
}

/** Downloads a result file through the client (its `fetch`, no API key). */
export async function download(resource: Resource, signal: AbortSignal | undefined): Promise<Downloaded> {
  const blob = await resource.blob({ signal });
  const mediaType = blob.type && blob.type !== "application/octet-stream" ? blob.type : undefined;
  return { data: new Uint8Array(await blob.arrayBuffer()), mediaType };
}
