import type { KnownExpansionModel } from "../models/catalog.js";
import type { InputOf, expansionInput } from "../models/schemas.js";
import type { TaskContext } from "../task.js";
import { Generation } from "./generation.js";

/** Input of `client.expansion.submit()`: `image` is required; `up_/down_/left_/right_expansion_ratio` say how much to add on each side. */
export type ImageExpansionInput = InputOf<typeof expansionInput, KnownExpansionModel>;

/** Image expansion (outpainting) (`POST /expansion/{provider}/{model_id}/async`). */
export class ImageExpansion extends Generation<ImageExpansionInput> {
  /** @internal */
  constructor(context: TaskContext) {
    super(context, "expansion");
  }
}
