import type { KnownT2VModel } from "../models/catalog.js";
import type { InputOf, textToVideoInput } from "../models/schemas.js";
import type { TaskContext } from "../task.js";
import { Generation } from "./generation.js";

/** Input of `client.t2v.submit()`: `prompt` is required; `duration`, `resolution`, `aspect_ratio` are optional. */
export type TextToVideoInput = InputOf<typeof textToVideoInput, KnownT2VModel>;

/** Text to video (`POST /t2v/{provider}/{model_id}/async`). */
export class TextToVideo extends Generation<TextToVideoInput> {
  /** @internal */
  constructor(context: TaskContext) {
    super(context, "t2v");
  }
}
