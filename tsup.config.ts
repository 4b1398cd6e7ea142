import { defineConfig } from "tsup";

/** Public entry points: the browser-safe core and the optional, separately imported extras. */
export const entries = {
  index: "src/index.ts",
  "testing/index": "src/testing/index.ts",
  "testing/msw": "src/testing/msw.ts",
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
