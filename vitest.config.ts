import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Tests and examples import the package by its public name; these resolve it to the sources. */
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^modellix$/, replacement: src("index.ts") },
      { find: /^modellix\/catalog$/, replacement: src("catalog/index.ts") },
      { find: /^modellix\/testing$/, replacement: src("testing/index.ts") },
      { find: /^modellix\/testing\/msw$/, replacement: src("testing/msw.ts") },
      { find: /^modellix\/node$/, replacement: src("node/index.ts") },
      { find: /^modellix\/proxy$/, replacement: src("proxy/index.ts") },
      { find: /^modellix\/redis$/, replacement: src("redis/index.ts") },
      { find: /^modellix\/ai$/, replacement: src("ai/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: "test-output/vitest.json" }]],
  },
});
