/**
 * The SDK under test, compiled the way `dist/` is (esbuild, ES2022, no
 * `keepNames`) instead of run through tsx, whose name-keeping wrappers would add
 * an allocation to every closure the SDK creates. Built fresh from src/ on import
 * into node_modules/.cache/modellix-bench (a few hundred ms), dependencies left
 * external (ky, p-retry, p-queue and zod load from node_modules, as for a user of the ESM build).
 */
import { rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outdir = `${root}node_modules/.cache/modellix-bench/node-${process.pid}`;

await build({
  entryPoints: {
    index: `${root}src/index.ts`,
    testing: `${root}src/testing/index.ts`,
    redis: `${root}src/redis/index.ts`,
    internals: `${root}bench/lib/internals.ts`,
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  packages: "external",
  logLevel: "error",
});

process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));

const load = (name: string) => import(pathToFileURL(`${outdir}/${name}.js`).href);

/** `modellix`. */
export const sdk: typeof import("../../src/index.js") = await load("index");
/** `modellix/testing`. */
export const testing: typeof import("../../src/testing/index.js") = await load("testing");
/** `modellix/redis`. */
export const redis: typeof import("../../src/redis/index.js") = await load("redis");
/** Internals for the breakdown. */
export const internals: typeof import("./internals.js") = await load("internals");

/**
 * Runs one submit and wait on an in-process fake with real timers, so that the
 * validation chunk (loaded by a dynamic import on the first submit) is in
 * memory before a benchmark installs virtual time, which cannot wait for I/O.
 */
export async function warmUp(): Promise<void> {
  const fake = new testing.FakeModellix({ durationMs: 0, pendingMs: 0 });
  const client = new sdk.Modellix({ apiKey: "bench-key", baseURL: "https://api.modellix.test", fetch: fake.fetch, logLevel: "off", pollInterval: { initialMs: 1, maxMs: 1 } });
  await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "warm up" }).wait();
}
