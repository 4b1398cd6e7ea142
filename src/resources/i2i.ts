import type { KnownI2IModel } from "../models/catalog.js";
import type { InputOf, imageToImageInput } from "../models/schemas.js";
import type { TaskContext } from "../task.js";
import { Generation } from "./generation.js";

/** Input of `client.i2i.submit()`: `prompt` and `image` (or `images`) are required; `mask` is optional. */
export type ImageToImageInput = InputOf<typeof imageToImageInput, KnownI2IModel>;

/** Image to image (edits) (`POST /i2i/{provider}/{model_id}/async`). */
export class ImageToImage extends Generation<ImageToImageInput> {
  /** @internal */
  constructor(context: TaskContext) {
    super(context, "i2i");
  }
}
