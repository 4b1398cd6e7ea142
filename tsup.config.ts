import { defineConfig } from "tsup";

/** Public entry points: the browser-safe core and the optional, separately imported extras. */
export const entries = {
  index: "src/index.ts",
  "testing/index": "src/testing/index.ts",
  "testing/msw": "src/testing/msw.ts",
  "node/index": "src/node/index.ts",
  "proxy/index": "src/proxy/index.ts",
  "redis/index": "src/redis/index.ts",
  "cli/index": "src/cli/index.ts",
};

export default defineConfig({
  entry: entries,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  treeshake: true,
  external: ["msw", "ioredis", /^node:/],
});
