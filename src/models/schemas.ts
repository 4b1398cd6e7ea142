import * as z from "zod/mini";
import type { ModelSlug } from "./catalog.js";

/** `provider/model_id`, e.g. `bytedance/seedream-4.5-t2i`. */
export const modelSlug = z.string().check(
  z.regex(/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/, {
    error: 'must be a model slug "provider/model_id", e.g. "bytedance/seedream-4.5-t2i"',
  }),
);

const size = z.string().check(
  z.regex(/^[1-9]\d*\*[1-9]\d*$/, { error: 'must be "W*H" with positive integers, e.g. "1024*1024"' }),
);

const httpUrl = z.string().check(
  z.refine((value) => /^https?:\/\/[^\s/]+/i.test(value), { error: "must be an http(s) URL" }),
);

const text = z.string().check(z.minLength(1, { error: "must not be empty" }));
const positive = z.number().check(z.positive({ error: "must be a positive number" }));
const ratio = z.number().check(z.gte(0, { error: "must be 0 or more" }));

/** Parameters most models accept. Unknown model-specific fields pass through untouched. */
const common = {
  model: z.optional(modelSlug),
  negative_prompt: z.optional(z.string()),
  size: z.optional(size),
  style: z.optional(z.string()),
  seed: z.optional(z.int()),
};

const video = {
  duration: z.optional(positive),
  resolution: z.optional(z.string()),
  aspect_ratio: z.optional(z.string()),
};

/** Text to image. */
export const textToImageInput = z.looseObject({ ...common, prompt: text });

/** Image to image (edits). Needs `image` or `images`. */
export const imageToImageInput = z
  .looseObject({ ...common, prompt: text, image: z.optional(httpUrl), images: z.optional(z.array(httpUrl)), mask: z.optional(httpUrl) })
  .check(needsOneOf(["image", "images"]));

/** Image to video. Needs `image` or `start_image`. */
export const imageToVideoInput = z
  .looseObject({
    ...common,
    ...video,
    prompt: z.optional(z.string()),
    image: z.optional(httpUrl),
    start_image: z.optional(httpUrl),
    end_image: z.optional(httpUrl),
    camera_motion: z.optional(z.unknown()),
    motion_brush: z.optional(z.unknown()),
  })
  .check(needsOneOf(["image", "start_image"]));

/** Text to video. */
export const textToVideoInput = z.looseObject({ ...common, ...video, prompt: text });

/** Image expansion (outpainting): ratios of the original size to add on each side. */
export const expansionInput = z.looseObject({
  ...common,
  prompt: z.optional(z.string()),
  image: httpUrl,
  up_expansion_ratio: z.optional(ratio),
  down_expansion_ratio: z.optional(ratio),
  left_expansion_ratio: z.optional(ratio),
  right_expansion_ratio: z.optional(ratio),
});

/** Any other model type (`client.run`): only the common parameters are checked. */
export const genericInput = z.looseObject({ ...common, prompt: z.optional(z.string()) });

function needsOneOf(keys: readonly string[]) {
  return z.refine<Record<string, unknown>>((value) => keys.some((key) => value[key] !== undefined), {
    error: `needs ${keys.map((key) => `\`${key}\``).join(" or ")} (an http(s) URL)`,
    path: [keys[0] ?? ""],
  });
}

type Shape<S> = S extends z.ZodMiniObject<infer Fields> ? z.input<z.ZodMiniObject<Fields>> : never;

/** A namespace's input: the schema's fields, `model` typed as the known slugs (any other slug still accepted), extra fields allowed. */
export type InputOf<S, KnownModels extends string> = Omit<Shape<S>, "model"> & {
  /** `provider/model_id`; optional, each type has a default model. */
  model?: ModelSlug<KnownModels>;
  /** Model-specific parameters pass through untouched. */
  [parameter: string]: unknown;
};
