/**
 * The packages only the runtime and browser tests need: bun, deno, edge-runtime
 * and playwright-core. They are not devDependencies, so that `npm install` in a
 * fresh clone does not download other runtimes; CI installs them (.ci/run), and
 * so does {@link INSTALL_OPTIONAL} anywhere else. Their tests skip, saying so,
 * when they are missing, except with CI=true, where they fail.
 */
import type { TestContext } from "vitest";

/** The command that installs them (`--no-save`: package.json and the lock file stay as they are). */
export const INSTALL_OPTIONAL = "npm install --no-save bun deno edge-runtime playwright-core";

/** Whether something a test needs is there, or why not. */
export type Availability = { ok: true } | { ok: false; reason: string };

/**
 * Imports an optional package, or says why it cannot. The name is a variable,
 * so neither TypeScript nor vite resolves it before the test runs; `T` is the
 * part of its API the test uses.
 */
export async function importOptional<T>(name: string): Promise<({ ok: true; module: T } | { ok: false; reason: string })> {
  try {
    return { ok: true, module: (await import(/* @vite-ignore */ name)) as T };
  } catch (error) {
    return { ok: false, reason: `${name} is not installed (${(error as Error).message.split("\n")[0]})` };
  }
}

/** Skips the test when something it needs is missing, saying how to install it; fails it instead under CI=true. */
export function requireOptional(context: TestContext, what: string, availability: Availability): void {
  if (availability.ok) return;
  const why = `${what} is not available: ${availability.reason}. It is not a devDependency; install it with \`${INSTALL_OPTIONAL}\` (CI does, in .ci/run)`;
  if (process.env.CI === "true") throw new Error(why);
  context.skip(why);
}
