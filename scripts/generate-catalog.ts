/**
 * Generates the SDK's model catalog — `src/models/catalog.ts`, `entries.ts`,
 * `params.ts`, `inputs.ts` and one data module per model family,
 * `families/<family>.ts`, with their index `families/index.ts` — from the
 * catalog data (`models.json` and `params.json`, see the README beside them).
 *
 *   npm run catalog                      # from ../shared/catalog
 *   npm run catalog -- --check           # write nothing; fail when a file is out of date
 *   npm run catalog -- --live            # refresh from GET /api/v1/models + each api_schema first
 *
 * Options: `--data <dir>` (default `../shared/catalog`), `--out-dir <dir>` (default the
 * repository root), `--save-data <dir>` (with `--live`: also write the merged data files),
 * `--schema-origin <url>` (default `https://www.modellix.ai`). `--live` needs
 * `MODELLIX_API_KEY`; `MODELLIX_BASE_URL` sets the API origin.
 *
 * The output is deterministic: the same data gives byte-identical files. Any
 * problem in the data (a malformed entry, an unknown type or format, a default
 * model that does not qualify) stops the run with every problem listed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildCatalog } from "./catalog/build.js";
import { fetchLiveCatalog } from "./catalog/live.js";
import { GENERATED_FILES, type GeneratedFile, renderAll } from "./catalog/render.js";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the catalog data lives by default. */
export const DEFAULT_DATA_DIR = resolve(ROOT, "../shared/catalog");

/** Reads `models.json` and `params.json` from `dir`. */
export function readData(dir: string): { models: unknown; params: unknown } {
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown;
  return { models: read("models.json"), params: read("params.json") };
}

/** Every generated file's source for the given data. */
export function generate(data: { models: unknown; params: unknown }): Record<GeneratedFile, string> {
  return renderAll(buildCatalog(data.models, data.params));
}

interface Args {
  data: string;
  outDir: string;
  saveData: string | undefined;
  schemaOrigin: string | undefined;
  live: boolean;
  check: boolean;
}

const USAGE =
  "Usage: npm run catalog -- [--data <dir>] [--out-dir <dir>] [--check] [--live [--save-data <dir>] [--schema-origin <url>]]";

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { data: DEFAULT_DATA_DIR, outDir: ROOT, saveData: undefined, schemaOrigin: undefined, live: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "") throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === "--data") args.data = resolve(value());
    else if (flag === "--out-dir") args.outDir = resolve(value());
    else if (flag === "--save-data") args.saveData = resolve(value());
    else if (flag === "--schema-origin") args.schemaOrigin = value();
    else if (flag === "--live") args.live = true;
    else if (flag === "--check") args.check = true;
    else throw new Error(`Unexpected argument: ${arg}\n${USAGE}`);
  }
  if (args.saveData && !args.live) throw new Error("--save-data only makes sense with --live");
  return args;
}

/** What the CLI needs from its surroundings (tests pass their own). */
export interface CliContext {
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  log: (line: string) => void;
}

/** Runs the generator; resolves with the exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    context.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  let data = readData(args.data);
  if (args.live) {
    const apiKey = context.env.MODELLIX_API_KEY;
    if (!apiKey) throw new Error("--live needs MODELLIX_API_KEY (the key is sent to the API origin only)");
    const live = await fetchLiveCatalog(data, {
      fetch: context.fetch,
      apiKey,
      origin: context.env.MODELLIX_BASE_URL || undefined,
      schemaOrigin: args.schemaOrigin,
    });
    for (const line of live.report) context.log(`live: ${line}`);
    data = { models: live.models, params: live.params };
    if (args.saveData) {
      mkdirSync(args.saveData, { recursive: true });
      writeFileSync(join(args.saveData, "models.json"), `${JSON.stringify(live.models, null, 1)}\n`);
      writeFileSync(join(args.saveData, "params.json"), `${JSON.stringify(live.params, null, 1)}\n`);
      context.log(`Wrote the merged models.json and params.json to ${args.saveData}`);
    }
  }
  const files = generate(data);
  let stale = 0;
  for (const file of GENERATED_FILES) {
    const path = join(args.outDir, file);
    if (args.check) {
      let current: string | undefined;
      try {
        current = readFileSync(path, "utf8");
      } catch {
        current = undefined;
      }
      if (current !== files[file]) {
        stale += 1;
        context.log(`out of date: ${file}`);
      }
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, files[file]);
    context.log(`Wrote ${path}`);
  }
  if (args.check && stale > 0) {
    context.log("Run `npm run catalog` to regenerate.");
    return 1;
  }
  return 0;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main(process.argv.slice(2), { env: process.env, fetch: globalThis.fetch, log: (line) => console.log(line) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
