/**
 * An image call (`generateImage`) as a model's body: prompt, count, size,
 * aspect ratio, seed, the input images and the mask in the model's own fields.
 */
import type { ImageModelV4CallOptions } from "@ai-sdk/provider";
import { RequestBody } from "./body.js";
import type { ModelFacts } from "./catalog.js";
import { mediaRole, uploadable } from "./media.js";
import { placeAspectRatio, placeDimensions } from "./size-fields.js";

/** The fields that set how many images one task makes (Qwen, Wan, Kling: `n`; Imagen: `sampleCount`). */
const COUNT_FIELDS = ["n", "sampleCount"];

/** How many images one task of the model can make: the most its count field allows, else 1. */
export function imagesPerTask(model: ModelFacts): number {
  const spec = COUNT_FIELDS.map((name) => model.params.get(name)).find((found) => found !== undefined);
  const most = spec?.enum ? Math.max(...spec.enum.map(Number)) : spec?.max;
  return most !== undefined && Number.isInteger(most) && most > 1 ? most : 1;
}

/**
 * Puts `files` into the model's image fields in their order: a single field
 * takes one, a list takes the rest (kolors try-on: `human_image`, then
 * `cloth_image`; Seedream: all in `image`). Files left over are not sent.
 */
function placeFiles(body: RequestBody, files: ImageModelV4CallOptions["files"]): void {
  if (!files?.length) return;
  const fields = body.mediaParams().filter((spec) => mediaRole(spec.name) === "image");
  let rest = files.map(uploadable);
  for (const spec of fields) {
    if (rest.length === 0) break;
    body.set(spec.name, spec.type === "array" ? rest : rest[0]);
    rest = spec.type === "array" ? [] : rest.slice(1);
  }
  if (rest.length === 0) return;
  const { slug } = body.model;
  body.unsupported("files", fields.length > 0 ? `${slug} takes ${files.length - rest.length} of the ${files.length} images; the others were not sent` : undefined);
}

/** The body of an image call, and its warnings. */
export function imageBody(model: ModelFacts, options: ImageModelV4CallOptions): RequestBody {
  const body = new RequestBody(model);
  body.place("prompt", options.prompt, ["prompt"]);
  if (options.n > 1) body.place("n", options.n, COUNT_FIELDS);
  placeAspectRatio(body, options.aspectRatio, options.size !== undefined);
  placeDimensions(body, "size", options.size, options.aspectRatio !== undefined);
  body.place("seed", options.seed, ["seed"]);
  placeFiles(body, options.files);
  const mask = body.mediaParams().find((spec) => mediaRole(spec.name) === "mask" && spec.type === "string");
  body.place("mask", options.mask, mask ? [[mask.name, uploadable]] : []);
  return body;
}
