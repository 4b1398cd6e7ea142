import { join } from "node:path";
import { type Options, build, defineConfig } from "tsup";
import { writeCjsTypes } from "./scripts/cjs-types.js";

/** Public entry points: the browser-safe core and the optional, separately imported extras. */
export const entries = {
  index: "src/index.ts",
  "catalog/index": "src/catalog/index.ts",
  "testing/index": "src/testing/index.ts",
  "testing/msw": "src/testing/msw.ts",
  "node/index": "src/node/index.ts",
  "proxy/index": "src/proxy/index.ts",
  "redis/index": "src/redis/index.ts",
  "ai/index": "src/ai/index.ts",
  "cli/index": "src/cli/index.ts",
};

/**
 * CommonJS: `require("modellix")` must be the client class (as with openai or
 * replicate), not an `{ default, Modellix, … }` object, while `import` keeps the
 * ES module's default and named exports. So the CJS build's `index` entry is
 * src/cjs.ts, whose only export is the class carrying every export of
 * src/index.ts as a property (built from its own entry list below). The tree-shaking pass (`treeshake`, rollup with
 * `exports: "auto"`) emits an entry whose only export is `default` as
 * `module.exports = …`; tsup's `cjsInterop` must stay off, as it would append a
 * second, broken `module.exports = exports.default`. The ESM build keeps src/index.ts.
 *
 * The declaration files are built after the JavaScript (`onSuccess`), because
 * `dist/index.d.cts` is then rewritten to `export =` a class merged with a
 * namespace of every export (scripts/cjs-types.ts), and tsup has no hook after its
 * own declaration build. Both steps read the export list from src/index.ts, so
 * new exports need no change here.
 */
const cjsEntries = { ...entries, index: "src/cjs.ts" };

const shared = {
  target: "es2022",
  platform: "neutral",
  external: ["msw", "ioredis", /^node:/],
} satisfies Options;

/**
 * The runtime libraries (ky, p-retry, p-queue and what they import) are ES
 * modules only. The ESM build imports them as dependencies, so a bundler
 * shares them with the app; the CommonJS build carries its own copy, so that
 * `require("modellix")` works on every Node ≥ 20, also those that cannot
 * `require()` an ES module.
 */
const bundledForCommonJS = ["ky", "p-retry", "p-queue", "eventemitter3", "p-timeout", "is-network-error"];

export default defineConfig((cli) => {
  const outDir = cli.outDir ?? "dist";
  const common = { ...shared, outDir, sourcemap: true, splitting: true, treeshake: true } satisfies Options;
  return [
    { ...common, entry: entries, format: ["esm"] },
    {
      ...common,
      entry: cjsEntries,
      format: ["cjs"],
      noExternal: bundledForCommonJS,
      async onSuccess() {
        await build({ ...shared, config: false, entry: entries, format: ["esm", "cjs"], outDir, dts: { only: true } });
        await writeCjsTypes(join(outDir, "index.d.cts"));
      },
    },
  ];
});
