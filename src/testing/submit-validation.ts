import type { FakeTaskType } from "./task-types.js";

const SIZE_PATTERN = /^(\d+)\*(\d+)$/;

/** A validated submit body, or the detail of the 400 answer. */
export type SubmitValidation = { input: Record<string, unknown> } | { error: string };

/**
 * Checks a submit body the way the API does: a JSON object, `prompt` present where
 * `promptRequired` lists the type, `size` (when given) in the form `W*H`.
 */
export function validateSubmitBody(
  body: unknown,
  type: FakeTaskType,
  promptRequired: readonly FakeTaskType[],
): SubmitValidation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { error: "Invalid request body: expected a JSON object" };
  }
  const input = body as Record<string, unknown>;
  const { prompt, size } = input;
  if (prompt !== undefined && typeof prompt !== "string") {
    return { error: "Invalid parameter: prompt must be a string" };
  }
  if (promptRequired.includes(type) && (prompt === undefined || prompt.trim() === "")) {
    return { error: "Missing required parameter: prompt" };
  }
  if (size !== undefined && parseSize(size) === undefined) {
    return { error: "Invalid parameter: size must be W*H, e.g. 1024*1024" };
  }
  return { input };
}

/** Width and height of a `"W*H"` size, or undefined when it is not one. */
export function parseSize(size: unknown): { width: number; height: number } | undefined {
  if (typeof size !== "string") return undefined;
  const match = SIZE_PATTERN.exec(size);
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}
