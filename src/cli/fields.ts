import { findModel } from "../models/entries.js";
import { type ParamSpec, modelParams } from "../models/params.js";
import { UsageError } from "./exit-codes.js";

/**
 * Maps the generation commands' convenience flags (`--size`, `--image`) onto
 * the fields a model really takes. Models differ: Seedream and OpenAI take
 * `size: "2048x2048"`, Qwen and Wan `size: "1024*1024"`, Google none at all
 * (`aspectRatio`); the input image is `image`, `images`, `first_frame_image`,
 * `img_url`... For a model whose parameters the catalog does not know, the
 * flags keep their plain names and the values are sent as typed.
 */

/** The catalog's parameters of `slug` (real id or doc spelling), when it knows them. */
export function paramsOf(slug: string): readonly ParamSpec[] | undefined {
  const entry = findModel(slug);
  return entry && Object.hasOwn(modelParams, entry.slug) ? modelParams[entry.slug] : undefined;
}

const DIMENSIONS = /^\s*([1-9]\d*)\s*[xX*×]\s*([1-9]\d*)\s*$/;

/**
 * `--size` for `slug`: `1024x1024`, `1024*1024` or `1024X1024` is written in
 * the model's own format (so nobody has to quote a `*` for zsh); a preset such
 * as `2K` is sent as typed. A known model without a `size` field is a usage
 * error naming the fields it has instead (`aspectRatio`, `resolution`, ...).
 */
export function sizeFields(slug: string, size: string | undefined): Record<string, unknown> {
  if (size === undefined) return {};
  const specs = paramsOf(slug);
  if (!specs) return { size };
  const spec = specs.find((candidate) => candidate.name === "size");
  if (!spec) {
    const instead = specs.filter((candidate) => /ratio|resolution|size/i.test(candidate.name)).map((candidate) => candidate.name);
    const hint = instead.length ? `; set ${instead.join(" or ")} with --param, e.g. --param ${instead[0]}=${exampleOf(specs, instead[0] ?? "")}` : "";
    throw new UsageError(`${slug} takes no size${hint}`);
  }
  const match = DIMENSIONS.exec(size);
  if (!match) return { size };
  const [, width, height] = match;
  const format = spec.format ?? "";
  if (format.includes("WIDTH*HEIGHT")) return { size: `${width}*${height}` };
  if (format.includes("WIDTHxHEIGHT")) return { size: `${width}x${height}` };
  return { size };
}

function exampleOf(specs: readonly ParamSpec[], name: string): string {
  const first = specs.find((spec) => spec.name === name)?.enum?.[0];
  if (first !== undefined) return String(first);
  return /resolution/i.test(name) ? "720p" : "1:1";
}

/** The model's main input image field: the first file field about an image or a first frame (not a last frame, tail or mask). */
function imageSpec(specs: readonly ParamSpec[]): ParamSpec | undefined {
  return specs.find((spec) => spec.media && /image|img|first_frame/i.test(spec.name) && !/last|tail|mask|end/i.test(spec.name));
}

/**
 * `--image` values for `slug`, in the model's input-image field: an array
 * field gets them all, a single one takes exactly one. Unknown parameters:
 * one image is `image`, several are `images`.
 */
export function imageFields(slug: string, images: readonly unknown[]): Record<string, unknown> {
  if (images.length === 0) return {};
  const specs = paramsOf(slug);
  if (!specs) return images.length > 1 ? { images: [...images] } : { image: images[0] };
  const spec = imageSpec(specs);
  if (!spec) {
    const files = specs.filter((candidate) => candidate.media).map((candidate) => candidate.name);
    throw new UsageError(`${slug} takes no input image${files.length ? `; its file inputs are ${files.join(", ")} (set them with --param)` : ""}`);
  }
  if (spec.type === "array") return { [spec.name]: [...images] };
  if (images.length > 1) throw new UsageError(`${slug} takes one input image (${spec.name}); got ${images.length} --image flags`);
  return { [spec.name]: images[0] };
}
