/**
 * A video call (`experimental_generateVideo`) as a model's body: prompt,
 * aspect ratio, resolution, duration, fps, seed, audio, and the input frames
 * and references in the model's own fields.
 */
import type { Experimental_VideoModelV4CallOptions as VideoModelV4CallOptions } from "@ai-sdk/provider";
import type { Namespace } from "../models/catalog.js";
import type { ParamSpec } from "../models/prepare.js";
import { RequestBody } from "./body.js";
import type { ModelFacts } from "./catalog.js";
import { type MediaRole, isVideo, mediaRole, uploadable } from "./media.js";
import { placeAspectRatio, placeDimensions } from "./size-fields.js";

type VideoFile = NonNullable<VideoModelV4CallOptions["image"]>;

/** The namespace of a video model the catalog does not know, from the call's inputs. */
export function guessVideoNamespace(options: VideoModelV4CallOptions): Namespace {
  const references = options.inputReferences ?? [];
  if (references.some(isVideo)) return "v2v";
  return options.image || options.frameImages?.length || references.length ? "i2v" : "t2v";
}

/** Collects the files of each field, so that several inputs can share a list field. */
class FileFields {
  readonly #values = new Map<string, unknown[]>();
  readonly #body: RequestBody;

  constructor(body: RequestBody) {
    this.#body = body;
  }

  /** The model's file fields of `role`: its single ones, then its lists. */
  fields(role: MediaRole): { single: ParamSpec[]; lists: ParamSpec[] } {
    const all = this.#body.mediaParams().filter((spec) => mediaRole(spec.name) === role);
    return { single: all.filter((spec) => spec.type !== "array"), lists: all.filter((spec) => spec.type === "array") };
  }

  /** Puts files into `fields` in order: a single field not yet taken gets one, a list the rest. Returns how many found no field. */
  put(files: readonly VideoFile[], fields: readonly ParamSpec[]): number {
    let rest = files.map(uploadable);
    for (const spec of fields) {
      if (rest.length === 0) break;
      const taken = this.#values.get(spec.name) ?? [];
      if (spec.type !== "array" && taken.length > 0) continue;
      const count = spec.type === "array" ? rest.length : 1;
      this.#values.set(spec.name, [...taken, ...rest.slice(0, count)]);
      rest = rest.slice(count);
    }
    return rest.length;
  }

  /** Writes the collected files into the body: a list as an array, a single field as its file. */
  write(): void {
    for (const [name, values] of this.#values) this.#body.set(name, this.#body.spec(name)?.type === "array" ? values : values[0]);
  }
}

/**
 * Puts the input frames and references into the model's file fields: the
 * first frame (`image`) into its first single image field (`first_frame_image`,
 * `image`, `img_url`, ...) or else its image list, the last frame into its
 * last-frame field (`last_frame_image`, `image_tail`, ...), reference images
 * into its image list (`reference_images`, ...), reference videos into its
 * video fields (`video_urls`, `video_url`, ...). What finds no field is not sent.
 */
function placeInputs(body: RequestBody, options: VideoModelV4CallOptions): void {
  const files = new FileFields(body);
  const images = files.fields("image");
  const { slug } = body.model;
  const notSent = (feature: string, what: string, left: number) => {
    if (left > 0) body.unsupported(feature, body.model.known ? `${slug} takes no ${what}, so ${left === 1 ? "it was" : `${left} were`} not sent` : undefined);
  };
  if (options.image) notSent("image", "start image", files.put([options.image], [...images.single, ...images.lists]));
  const last = options.frameImages?.find((frame) => frame.frameType === "last_frame")?.image;
  if (last) notSent("frameImages", "last frame", files.put([last], files.fields("last-frame").single));
  const references = options.inputReferences ?? [];
  notSent("inputReferences", "reference image", files.put(references.filter((file) => !isVideo(file)), images.lists));
  const videos = files.fields("video");
  notSent("inputReferences", "reference video", files.put(references.filter(isVideo), [...videos.single, ...videos.lists]));
  files.write();
}

/** The body of a video call, and its warnings. */
export function videoBody(model: ModelFacts, options: VideoModelV4CallOptions): RequestBody {
  const body = new RequestBody(model);
  body.place("prompt", options.prompt, ["prompt"]);
  if (options.n > 1) body.unsupported("n", `one task makes one video: leave maxVideosPerCall unset, and n makes ${options.n} tasks`);
  placeAspectRatio(body, options.aspectRatio, options.resolution !== undefined);
  placeDimensions(body, "resolution", options.resolution, options.aspectRatio !== undefined);
  body.place("duration", options.duration, ["duration", "durationSeconds"]);
  body.place("fps", options.fps, ["fps"]);
  body.place("seed", options.seed, ["seed"]);
  body.place("generateAudio", options.generateAudio, ["generate_audio", "generateAudio", "audio", ["sound", (on: boolean) => (on ? "on" : "off")]]);
  placeInputs(body, options);
  return body;
}
