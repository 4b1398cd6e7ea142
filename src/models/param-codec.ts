/**
 * The compact form of a model's body parameters, as `params.ts` stores them:
 * one token per parameter, e.g. `prompt:s!{1,2500}`, `resolution:s=720P,1080P`,
 * `image:Sm!{1,14}`, `size:s@WIDTHxHEIGHT`, `first_frame:sm*`. The catalog generator writes the
 * tokens with {@link TYPE_CODES} and checks that each reads back, with
 * {@link decodeParam}, as the spec it came from.
 */

/** One body parameter of a model. */
export interface ParamSpec {
  /** The field name in the JSON body, spelled as the API spells it (`aspectRatio`, `first_frame_image`). */
  name: string;
  /** The JSON type. `integer` is a whole number. */
  type: "string" | "integer" | "number" | "boolean" | "array" | "object";
  /** The element type of an array. */
  items?: "string" | "object";
  /** The string (or each array element) is a URL. */
  uri?: boolean;
  /**
   * The field takes a file: a URL string, or a binary value (Blob, ArrayBuffer,
   * typed array, ReadableStream) that the SDK uploads and replaces by its URL.
   * Applies to each element of an array.
   */
  media?: boolean;
  /**
   * The file field also takes raw Base64 data, without a `data:` prefix, as the
   * model's docs say (Kling: "URL or raw Base64"). Every file field takes a `data:` URI.
   */
  base64?: boolean;
  /** The API refuses a body without it. */
  required?: boolean;
  /**
   * The field is one of the model's alternatives, of which the API needs at
   * least one: not required on its own, but a body without any of the model's
   * `requiredAlternative` fields is refused (wan2.7-i2v: `first_frame` or `first_clip`).
   */
  requiredAlternative?: boolean;
  /** The only values the API accepts (case matters: `720p` is not `720P`). */
  enum?: readonly (string | number)[];
  /** Minimum: characters of a string, value of a number, elements of an array. */
  min?: number;
  /** Maximum: characters of a string, value of a number, elements of an array. */
  max?: number;
  /**
   * The shape of a string value: alternatives separated by `|`, each either a
   * size template — `WIDTHxHEIGHT` (`"2048x2048"`) or `WIDTH*HEIGHT` (`"1024*1024"`),
   * positive integers — or a literal preset (`"1K|2K|WIDTH*HEIGHT"`).
   */
  format?: string;
}

/** The type letter of a token: the JSON type, and for an array the type of its elements. */
export const TYPE_CODES = {
  s: ["string"],
  i: ["integer"],
  n: ["number"],
  b: ["boolean"],
  o: ["object"],
  a: ["array"],
  S: ["array", "string"],
  O: ["array", "object"],
} as const satisfies Record<string, readonly [ParamSpec["type"], ParamSpec["items"]?]>;

/**
 * A token: `name:T`, the flags `u` (a URL), `m` (takes a file), `b` (takes raw Base64 too), `!` (required)
 * and `*` (one of the required alternatives), then `{min,max}`, `=enum` and `@format` when present.
 */
const TOKEN = /^([^:\s]+):([sinboaSO])(u?)(m?)(b?)(!?)(\*?)(?:\{([^,}]*),([^,}]*)\})?(?:=([^@\s]*))?(?:@(\S+))?$/;

/** One parameter from its token. */
export function decodeParam(token: string): ParamSpec {
  const [, name = "", code = "s", uri, media, base64, required, alternative, min, max, values, format] = TOKEN.exec(token) ?? [];
  const [type, items] = (TYPE_CODES as Record<string, readonly [ParamSpec["type"], ParamSpec["items"]?]>)[code] ?? ["string"];
  const spec: ParamSpec = { name, type };
  if (items) spec.items = items;
  if (uri) spec.uri = true;
  if (media) spec.media = true;
  if (base64) spec.base64 = true;
  if (required) spec.required = true;
  if (alternative) spec.requiredAlternative = true;
  const numeric = type === "integer" || type === "number";
  if (values !== undefined) spec.enum = values.split(",").map((value) => (numeric ? Number(value) : value));
  if (min) spec.min = Number(min);
  if (max) spec.max = Number(max);
  if (format) spec.format = format;
  return spec;
}
