/**
 * The SDK's namespaces, the API's model types and the model families of the
 * catalog, and how they map onto each other.
 */

/** The client's namespaces, in the order the generated files list them. */
export const NAMESPACES = ["t2i", "i2i", "t2v", "i2v", "v2v", "tts", "stt", "sts", "expansion"] as const;

/** A client namespace. */
export type Namespace = (typeof NAMESPACES)[number];

/** A namespace that is also an API type (every namespace but `expansion`). */
export type TypedNamespace = Exclude<Namespace, "expansion">;

/** The API's long type name of each namespace. */
export const API_TYPES = {
  t2i: "text-to-image",
  i2i: "image-to-image",
  t2v: "text-to-video",
  i2v: "image-to-video",
  v2v: "video-to-video",
  tts: "text-to-speech",
  stt: "speech-to-text",
  sts: "speech-to-speech",
} as const satisfies Record<TypedNamespace, string>;

/** An API model type, as `GET /models` spells it. */
export type ApiType = (typeof API_TYPES)[TypedNamespace];

/** What each namespace is for, for TSDoc. */
export const NAMESPACE_DOCS: Record<Namespace, string> = {
  t2i: "Text-to-image",
  i2i: "Image-to-image (editing; the expansion models too)",
  t2v: "Text-to-video",
  i2v: "Image-to-video (first/last frame, keyframes, and the reference-to-video family)",
  v2v: "Video-to-video (editing, extension, motion transfer, lip sync)",
  tts: "Text-to-speech",
  stt: "Speech-to-text",
  sts: "Speech-to-speech (voice cloning)",
  expansion: "Image expansion (outpainting)",
};

/**
 * Model families: the catalog's short codes (one per API type, plus `r2v` for
 * reference-to-video models, which the API types as image-to-video) and
 * `expansion` for the image-expansion models (image-to-image).
 */
export const FAMILIES = ["t2i", "i2i", "t2v", "i2v", "r2v", "v2v", "tts", "stt", "sts", "expansion"] as const;

/** A model family. */
export type Family = (typeof FAMILIES)[number];

/** A model id that names an expansion (outpainting) model. */
export const EXPANSION_ID = /(?:^|-)(?:expansion|outpainting)(?:-|$)/;

/** A model id that names a reference-to-video model. */
export const R2V_ID = /(?:^|-)r2v(?:-|$)/;

/** The namespace of an API type, or `undefined` for a type the SDK does not know. */
export function namespaceOfType(type: string): TypedNamespace | undefined {
  for (const namespace of NAMESPACES) {
    if (namespace !== "expansion" && API_TYPES[namespace] === type) return namespace;
  }
  return undefined;
}

/** The API type of a family. */
export function typeOfFamily(family: Family): ApiType {
  if (family === "r2v") return API_TYPES.i2v;
  if (family === "expansion") return API_TYPES.i2i;
  return API_TYPES[family];
}

/** Where a model of `family` may be submitted: its own namespace first. */
export function namespacesOf(family: Family): Namespace[] {
  if (family === "expansion") return ["expansion", "i2i"];
  if (family === "r2v") return ["i2v"];
  return [family];
}

/**
 * The family of a model from its id, API type and (when the data has one) the
 * catalog's short code. Returns a problem message when they disagree.
 */
export function familyOf(modelId: string, type: string, short: string | undefined): Family | { problem: string } {
  const namespace = namespaceOfType(type);
  if (!namespace) {
    return { problem: `unknown type ${JSON.stringify(type)}; expected one of ${Object.values(API_TYPES).join(", ")}` };
  }
  if (short === "r2v" || (short === undefined && namespace === "i2v" && R2V_ID.test(modelId))) {
    if (namespace !== "i2v") return { problem: `short "r2v" needs type "image-to-video", not ${JSON.stringify(type)}` };
    return "r2v";
  }
  if (short !== undefined && short !== namespace) {
    return { problem: `short ${JSON.stringify(short)} does not match type ${JSON.stringify(type)} (${namespace})` };
  }
  if (namespace === "i2i" && EXPANSION_ID.test(modelId)) return "expansion";
  return namespace;
}
