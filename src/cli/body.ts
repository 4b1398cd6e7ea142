import { UsageError } from "./exit-codes.js";
import { readSource } from "./input.js";
import type { CliIO } from "./io.js";

/**
 * The request body of `modellix run`, from `--body`: inline JSON
 * (`'{"prompt":"a fox"}'`), `@file.json`, or `-` for standard input. It must be
 * a JSON object; the SDK then checks it against the model's parameters.
 */
export async function readBody(value: string, io: CliIO): Promise<Record<string, unknown>> {
  const from = value === "-" ? "standard input" : value.startsWith("@") ? value.slice(1) : undefined;
  const text = from === undefined ? value : await readSource(value === "-" ? "-" : value.slice(1), io, "--body");
  return parseObject(text, from === undefined ? "--body" : `--body ${value === "-" ? "-" : `@${from}`}`);
}

/** Parses a JSON object; anything else is a usage error saying where it came from. */
export function parseObject(text: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : "";
    const hint = where === "--body" ? " (to read a file, write --body @path)" : "";
    throw new UsageError(`${where} is not valid JSON${reason}${hint}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${where} must be a JSON object of model parameters, e.g. {"prompt":"a fox"}`);
  }
  return parsed as Record<string, unknown>;
}
