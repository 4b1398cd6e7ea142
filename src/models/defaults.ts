/** The five model types with their own namespace. */
export type GenerationType = "t2i" | "i2v" | "t2v" | "i2i" | "expansion";

/** The model used when a submit names none. */
export const defaultModels: Record<GenerationType, string> = {
  t2i: "google/nano-banana-2-lite",
  i2v: "bytedance/seedance-2-0-fast-i2v",
  t2v: "bytedance/seedance-2-0-mini-t2v",
  i2i: "bytedance/seedream-5-0-lite-edit",
  expansion: "kling/kling-image-expansion",
};

/** Where a model type is submitted, for error messages: `client.t2v.submit()` or `client.run("r2v", ...)`. */
export function namespaceOf(type: string): string {
  return isGenerationType(type) ? `client.${type}.submit()` : `client.run("${type}", model, input)`;
}

/** True for the five types that have a namespace on the client. */
export function isGenerationType(type: string): type is GenerationType {
  return Object.hasOwn(defaultModels, type);
}
