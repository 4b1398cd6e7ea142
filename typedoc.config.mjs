// TypeDoc: the API reference of every public entry point (read from package.json "exports", so a new
// entry is documented without editing this file) plus the guides in docs/. `npm run docs` → docs/api.
import { existsSync, readFileSync } from "node:fs";

const { exports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** `./dist/testing/msw.js` → `src/testing/msw.ts` */
const entryPoints = Object.values(exports)
  .map((target) => target?.import?.default)
  .filter((file) => typeof file === "string" && file.startsWith("./dist/"))
  .map((file) => file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));

const missing = entryPoints.filter((file) => !existsSync(file));
if (missing.length) throw new Error(`typedoc: package.json exports name missing sources: ${missing.join(", ")}`);

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "modellix",
  entryPoints,
  out: "docs/api",
  tsconfig: "tsconfig.json",
  readme: "README.md",
  projectDocuments: [
    "docs/getting-started.md",
    "docs/errors-and-retries.md",
    "docs/quota-and-rate-limits.md",
    "docs/browser-and-proxy.md",
    "docs/testing-with-modellix-testing.md",
    "docs/migrating-from-raw-fetch.md",
  ],
  skipErrorChecking: true, // `tsc --noEmit` checks types; the docs build only reads them
  excludeInternal: true,
  excludePrivate: true,
  disableSources: true,
  treatWarningsAsErrors: true,
  // The zod schemas behind the input types stay internal; the input types themselves are documented.
  intentionallyNotExported: [
    "InputOf",
    "genericInput",
    "textToImageInput",
    "imageToImageInput",
    "imageToVideoInput",
    "textToVideoInput",
    "expansionInput",
  ],
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false },
};
