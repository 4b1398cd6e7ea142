/**
 * The AI SDK's `size` / `resolution` (`WIDTHxHEIGHT`) and `aspectRatio`
 * (`W:H`) in each model's own fields: `size` as `2048x2048` or `1328*1328` (the
 * nearest of its sizes when it lists them), `width` + `height`, or an aspect
 * ratio (`aspectRatio`, `aspect_ratio`, `ratio`) with a resolution preset
 * (`imageSize`, `resolution`: `2K`, `720p`, ...).
 */
import { ValidationError } from "../index.js";
import type { ParamSpec } from "../models/prepare.js";
import type { RequestBody } from "./body.js";
import { type Dimensions, nearestPreset, nearestRatio, nearestSize, parseDimensions, parseRatio, ratioOf, sizeWithRatio } from "./dimensions.js";

/** The aspect-ratio fields of the catalog's models, as each family names it. */
const RATIO_FIELDS = ["aspectRatio", "aspect_ratio", "ratio"];
/** The resolution-preset fields (`1K`/`2K`, `720p`/`1080p`). */
const PRESET_FIELDS = ["imageSize", "resolution"];

/** How a model's `size` is written: one of its listed sizes, or any size with its separator. */
type SizeFormat = { choices: string[] } | { separator: "x" | "*" };

function sizeFormat(spec: ParamSpec | undefined): SizeFormat | undefined {
  const choices = spec?.enum?.map(String).filter((choice) => parseDimensions(choice) !== undefined);
  if (choices?.length) return { choices };
  const parts = spec?.format?.split("|") ?? [];
  if (parts.includes("WIDTHxHEIGHT")) return { separator: "x" };
  if (parts.includes("WIDTH*HEIGHT")) return { separator: "*" };
  return undefined;
}

function invalid(feature: string, value: string, expected: string): ValidationError {
  return new ValidationError([{ path: feature, message: `must be ${expected} (got ${JSON.stringify(value)})` }], "AI SDK call options");
}

/** Writes a ratio into the model's ratio field (the nearest it lists); returns what was sent. */
function writeRatio(body: RequestBody, spec: ParamSpec, ratio: number, asText: string): string {
  const choices = spec.enum?.map(String);
  const value = choices ? (nearestRatio(choices, ratio) ?? asText) : asText;
  body.set(spec.name, value);
  return value;
}

/**
 * Writes `aspectRatio` into the model's ratio field, or, for a model that lists
 * its sizes and no ratio, the first size of the nearest ratio (unless `size`
 * was asked too). `"adaptive"` goes only where the model offers it.
 */
export function placeAspectRatio(body: RequestBody, value: string | undefined, sizeAsked: boolean): void {
  if (value === undefined) return;
  const feature = "aspectRatio";
  const spec = body.first(RATIO_FIELDS);
  const { slug } = body.model;
  if (value === "adaptive") {
    if (spec && (!spec.enum || spec.enum.includes(value))) body.set(spec.name, value);
    else body.unsupported(feature, spec ? `${slug} offers no "adaptive" ${spec.name}, so it was not sent` : undefined);
    return;
  }
  const ratio = parseRatio(value);
  if (ratio === undefined) throw invalid(feature, value, `"WIDTH:HEIGHT", e.g. "16:9"`);
  if (spec) {
    const sent = writeRatio(body, spec, ratio, value);
    if (parseRatio(sent) !== ratio) body.compatibility(feature, `${slug} offers no ${value}: sent ${spec.name} ${sent}, the nearest it offers`);
    return;
  }
  const format = sizeFormat(body.spec("size"));
  if (format && "choices" in format && !sizeAsked) {
    const size = sizeWithRatio(format.choices, ratio) as string;
    body.set("size", size);
    body.compatibility(feature, `${slug} takes a size, not a ratio: sent size ${size}`);
    return;
  }
  if (format) body.unsupported(feature, `${slug} takes a size and no aspect ratio: ${sizeAsked ? "the size was sent" : "give a size instead"}`);
  else body.unsupported(feature);
}

/**
 * Writes a `WIDTHxHEIGHT` option (`size` of an image, `resolution` of a video)
 * into the model's size field, its `width` and `height`, or its ratio field
 * (unless `aspectRatio` was asked too) and resolution preset.
 */
export function placeDimensions(body: RequestBody, feature: "size" | "resolution", value: string | undefined, ratioAsked: boolean): void {
  if (value === undefined) return;
  const target = parseDimensions(value);
  if (!target) throw invalid(feature, value, `"WIDTHxHEIGHT", e.g. "1024x1024"`);
  const { slug } = body.model;
  const format = sizeFormat(body.spec("size"));
  if (format) {
    const size = "choices" in format ? (nearestSize(format.choices, target) as string) : `${target.width}${format.separator}${target.height}`;
    body.set("size", size);
    const sent = parseDimensions(size);
    if (sent?.width !== target.width || sent.height !== target.height) body.compatibility(feature, `${slug} offers no ${value}: sent size ${size}, the nearest it offers`);
    return;
  }
  if (body.spec("width")?.type === "integer" && body.spec("height")?.type === "integer") {
    body.set("width", target.width);
    body.set("height", target.height);
    return;
  }
  const sent = [...ratioPart(body, target, ratioAsked), ...presetPart(body, target)];
  if (sent.length === 0) body.unsupported(feature);
  else body.compatibility(feature, `${slug} takes no WIDTHxHEIGHT ${feature}: ${value} was sent as ${sent.join(" and ")}`);
}

function ratioPart(body: RequestBody, target: Dimensions, ratioAsked: boolean): string[] {
  const spec = body.first(RATIO_FIELDS);
  if (!spec || ratioAsked) return [];
  return [`${spec.name} ${writeRatio(body, spec, target.width / target.height, ratioOf(target))}`];
}

function presetPart(body: RequestBody, target: Dimensions): string[] {
  const spec = PRESET_FIELDS.map((name) => body.spec(name)).find((found) => found?.enum !== undefined);
  const preset = spec?.enum && nearestPreset(spec.enum.map(String), target);
  if (!spec || !preset) return [];
  body.set(spec.name, preset);
  return [`${spec.name} ${preset}`];
}
