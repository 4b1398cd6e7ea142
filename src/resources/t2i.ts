import type { KnownT2IModel } from "../models/catalog.js";
import type { InputOf, textToImageInput } from "../models/schemas.js";
import type { TaskContext } from "../task.js";
import { Generation } from "./generation.js";

/** Input of `client.t2i.submit()`: `prompt` is required; `size` is `"W*H"`. */
export type TextToImageInput = InputOf<typeof textToImageInput, KnownT2IModel>;

/** Text to image (`POST /t2i/{provider}/{model_id}/async`). */
export class TextToImage extends Generation<TextToImageInput> {
  /** @internal */
  constructor(context: TaskContext) {
    super(context, "t2i");
  }
}
