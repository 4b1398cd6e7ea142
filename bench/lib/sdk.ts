/**
 * The SDK under test, compiled the way `dist/` is (esbuild, ES2022, no
 * `keepNames`) instead of run through tsx, whose name-keeping wrappers would add
 * an allocation to every closure the SDK creates. Built fresh on import into
 * node_modules/.cache/modellix-bench (a few hundred ms), dependencies left external.
 */
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outdir = `${root}node_modules/.cache/modellix-bench`;

await build({
  entryPoints: {
    index: `${root}src/index.ts`,
    testing: `${root}src/testing/index.ts`,
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

const load = (name: string) => import(pathToFileURL(`${outdir}/${name}.js`).href);

/** `modellix`. */
export const sdk: typeof import("../../src/index.js") = await load("index");
/** `modellix/testing`. */
export const testing: typeof import("../../src/testing/index.js") = await load("testing");
/** Internals for the breakdown. */
export const internals: typeof import("./internals.js") = await load("internals");
