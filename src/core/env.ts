/**
 * Reads one variable of the process environment where there is one (Node,
 * Bun, Deno with `process`). Undefined where there is none, or where reading
 * it is not allowed (Deno without `--allow-env` throws).
 */
export function readEnv(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
}
