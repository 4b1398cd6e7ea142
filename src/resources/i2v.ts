import type { KnownI2VModel } from "../models/catalog.js";
import type { InputOf, imageToVideoInput } from "../models/schemas.js";
import type { TaskContext } from "../task.js";
import { Generation } from "./generation.js";

/** Input of `client.i2v.submit()`: `image` (or `start_image`) is required; `end_image`, `duration`, `resolution`, `aspect_ratio`, `camera_motion`, `motion_brush` are optional. */
export type ImageToVideoInput = InputOf<typeof imageToVideoInput, KnownI2VModel>;

/** Image to video (`POST /i2v/{provider}/{model_id}/async`). */
export class ImageToVideo extends Generation<ImageToVideoInput> {
  /** @internal */
  constructor(context: TaskContext) {
    super(context, "i2v");
  }
}
