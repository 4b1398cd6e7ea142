/**
 * The built package (`dist/`) for the tests that run it as users do: CommonJS
 * consumers (test/cjs.test.ts) and other runtimes (test/runtimes.test.ts).
 *
 * CI builds before testing, so `dist/` is usually fresh and used as is. When it is
 * missing or older than its inputs, it is rebuilt once (`tsup`, as `npm run build`),
 * under a lock, so test files running in parallel do not build over each other.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root. */
export const root = fileURLToPath(new URL("..", import.meta.url));
/** The build output. */
export const dist = join(root, "dist");

/** What the build reads: a change to any of these makes `dist/` stale. */
const inputs = ["src", "tsup.config.ts", "scripts/cjs-types.ts", "package.json", "tsconfig.json"];
/** Written last by the build (tsup.config.ts `onSuccess`), so its time is the build's end. */
const lastOutput = join(dist, "index.d.cts");
const lock = join(root, "test-output", "dist-build.lock");
/** A lock older than this is left over, whoever holds it. */
const staleLockMs = 10 * 60_000;

/** Newest modification time (ms) of a file or of any file under a directory. */
async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const names = await readdir(path);
  const times = await Promise.all(names.map((name) => newest(join(path, name))));
  return Math.max(info.mtimeMs, ...times);
}

async function isFresh(): Promise<boolean> {
  const built = await stat(lastOutput).catch(() => undefined);
  if (!built) return false;
  const changed = Math.max(...(await Promise.all(inputs.map((input) => newest(join(root, input))))));
  return built.mtimeMs >= changed;
}

/** True when the lock's holder has exited (a killed run) or the lock is older than {@link staleLockMs}. */
async function isAbandoned(): Promise<boolean> {
  const held = await stat(lock).catch(() => undefined);
  if (!held) return false;
  if (Date.now() - held.mtimeMs > staleLockMs) return true;
  const pid = Number(await readFile(join(lock, "pid"), "utf8").catch(() => ""));
  if (!pid) return false; // just created: the pid is being written
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function acquire(): Promise<void> {
  await mkdir(join(root, "test-output"), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isAbandoned()) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Makes sure `dist/` is built from the current sources and returns its path.
 * Throws with the build's output when the build fails.
 */
export async function ensureDist(): Promise<string> {
  if (await isFresh()) return dist;
  await acquire();
  try {
    if (await isFresh()) return dist;
    const tsup = join(root, "node_modules", "tsup", "dist", "cli-default.js");
    await run(process.execPath, [tsup], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
      const output = `${error.stdout ?? ""}\n${error.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
      throw new Error(`npm run build (tsup) failed:\n${output}`);
    });
    return dist;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
