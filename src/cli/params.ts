import { UsageError } from "./exit-codes.js";

/**
 * Reads a command-line value as JSON when it is valid JSON (`5`, `true`,
 * `["a","b"]`, `{"type":"pan"}`, `"quoted"`), else as the plain string
 * (`1024*1024`, `a cat`).
 */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Turns repeated `--param key=value` flags into an object; values are read by {@link parseValue}. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = equals < 0 ? "" : pair.slice(0, equals).trim();
    if (!key) throw new UsageError(`--param ${JSON.stringify(pair)} must be key=value, e.g. --param duration=5`);
    if (Object.hasOwn(params, key)) throw new UsageError(`--param ${key} is given twice`);
    params[key] = parseValue(pair.slice(equals + 1));
  }
  return params;
}

/** Merges the parameters set by dedicated flags (or `--body`) with `--param` ones, refusing a key set both ways. */
export function mergeParams(fromFlags: Record<string, unknown>, fromParams: Record<string, unknown>, source = "a flag"): Record<string, unknown> {
  for (const key of Object.keys(fromParams)) {
    if (fromFlags[key] !== undefined) throw new UsageError(`${key} is given both by ${source} and as --param ${key}=...; keep one`);
  }
  return { ...definedOnly(fromFlags), ...fromParams };
}

function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
