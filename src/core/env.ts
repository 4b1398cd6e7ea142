/** The process environment where there is one (Node, Bun, Deno with `process`), else an empty record. */
export function readEnv(): Record<string, string | undefined> {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return processLike?.env ?? {};
}
