/**
 * `npm run size` (in `npm run check`, after `npm run build`): what a browser
 * app pays for `import { Modellix } from "modellix"`, measured as a browser
 * bundler emits it: esbuild `--bundle --splitting --format=esm --minify` over
 * the built package (dist/). The budget, gzip (level 9) of the files
 * concatenated: the entry file and every chunk it imports statically, ≤ 24 KiB.
 * Reported beside it: what is loaded before the first submit completes, in the
 * namespace that loads the most (the entry, the first submit's chunk and the
 * catalog data of the namespace's families).
 *
 * It also checks the lazy chunks, on a build of the sources: the build loads on
 * demand exactly the modules src/lazy-chunks.ts lists (and the catalog's family
 * data), each is at least 1 KiB gzip (a smaller one folds into its caller), and
 * everything a first submit needs is one chunk. Exits 1 when any check fails.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Metafile, type OutputFile, type Plugin, build } from "esbuild";
import { lazyChunks } from "../src/lazy-chunks.js";
import { NAMESPACES } from "../src/models/catalog.js";
import { familiesOf } from "../src/models/load-families.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The entry budget: 24 KiB. */
const ENTRY_BUDGET = 24 * 1024;
/** The smallest chunk worth a request of its own: 1 KiB. */
const MIN_CHUNK = 1024;

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).byteLength;

/** A split build: its output files by path, its metafile, and the path of the entry's output. */
interface Split {
  files: Map<string, OutputFile>;
  outputs: Metafile["outputs"];
  entry: string;
}

/** Resolves `modellix` to the built package, as an app's bundler would (not to the sources, as tsconfig.json's paths do). */
const builtPackage: Plugin = {
  name: "built-package",
  setup(builder) {
    builder.onResolve({ filter: /^modellix$/ }, () => ({ path: `${root}dist/index.js` }));
  },
};

/** Bundles `code` (or the file `entry`) for a browser with code splitting, minified, in memory. */
async function split(input: { code: string } | { file: string }): Promise<Split> {
  const result = await build({
    ...("code" in input ? { stdin: { contents: input.code, resolveDir: root, sourcefile: "app.js" }, plugins: [builtPackage] } : { entryPoints: [input.file] }),
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    platform: "browser",
    outdir: `${root}node_modules/.cache/modellix-size`,
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const entryPoint = "code" in input ? "app.js" : input.file;
  const entry = Object.keys(result.metafile.outputs).find((path) => result.metafile.outputs[path]?.entryPoint === entryPoint);
  if (!entry) throw new Error(`no output for ${entryPoint}`);
  const files = new Map(result.outputFiles.map((file) => [file.path.slice(root.length), file]));
  return { files, outputs: result.metafile.outputs, entry };
}

/** `output` and every output it imports statically, in load order. */
function staticClosure(bundle: Split, output: string, into: string[] = []): string[] {
  if (into.includes(output)) return into;
  into.push(output);
  for (const imported of bundle.outputs[output]?.imports ?? []) {
    if (imported.kind === "import-statement" && !imported.external) staticClosure(bundle, imported.path, into);
  }
  return into;
}

/** The files' bytes concatenated: their count, minified size and gzip size. */
function sizeOf(bundle: Split, outputs: readonly string[]): { files: number; minified: number; gzipped: number } {
  const bytes = Buffer.concat(outputs.map((path) => bundle.files.get(path)?.contents ?? new Uint8Array()));
  return { files: outputs.length, minified: bytes.byteLength, gzipped: gzip(bytes) };
}

/** The output of a dynamically imported module whose entry point `matches`. */
function lazyOutput(bundle: Split, matches: (entryPoint: string) => boolean): string | undefined {
  return Object.keys(bundle.outputs).find((path) => {
    const entryPoint = bundle.outputs[path]?.entryPoint;
    return path !== bundle.entry && entryPoint !== undefined && matches(entryPoint);
  });
}

/** A dist file of a module (`dist/prepare-K5OCQEDX.js` for `prepare`), as tsup names the chunks it imports on demand. */
const builtFrom = (name: string) => (entryPoint: string) => new RegExp(`(^|/)dist/${name}-[A-Z0-9]+\\.js$`).test(entryPoint);

const bytes = (count: number) => `${count.toLocaleString("en")} B`;

const failures: string[] = [];

// The budgets, over the built package.
const app = await split({ code: 'export { Modellix } from "modellix";' });
const atImport = staticClosure(app, app.entry);
const entry = sizeOf(app, atImport);
console.log(`entry (import { Modellix }): ${entry.files} files, ${bytes(entry.minified)} minified, ${bytes(entry.gzipped)} gzip; budget ${bytes(ENTRY_BUDGET)}`);
if (entry.gzipped > ENTRY_BUDGET) failures.push(`the entry is ${bytes(entry.gzipped)} gzip, over its budget of ${bytes(ENTRY_BUDGET)}`);

const prepare = lazyOutput(app, builtFrom("prepare"));
if (!prepare) throw new Error("the build has no chunk for src/models/prepare.ts");
const firstSubmits = NAMESPACES.map((namespace) => {
  const families = familiesOf(namespace);
  const loaded = [...atImport];
  for (const output of [prepare, ...families.map((family) => lazyOutput(app, builtFrom(family)))]) if (output) staticClosure(app, output, loaded);
  return { namespace, families, ...sizeOf(app, loaded) };
});
const worst = firstSubmits.reduce((a, b) => (b.gzipped > a.gzipped ? b : a));
console.log(
  `before the first submit, worst case (${worst.namespace}: ${worst.families.join(" + ")}): ${worst.files} files, ` +
    `${bytes(worst.minified)} minified, ${bytes(worst.gzipped)} gzip`,
);

// The lazy chunks, over the sources: module paths are exact there.
const sources = await split({ file: "src/index.ts" });
const sourceStatic = new Set(staticClosure(sources, sources.entry));
const listed = Object.keys(lazyChunks).map((module) => `src/${module}.ts`);
const onDemand = Object.values(sources.outputs)
  .map((output) => output.entryPoint)
  .filter((entryPoint): entryPoint is string => entryPoint !== undefined && entryPoint !== "src/index.ts")
  .filter((entryPoint) => !entryPoint.startsWith("src/models/families/"));
for (const module of onDemand.filter((path) => !listed.includes(path))) failures.push(`${module} loads on demand but src/lazy-chunks.ts does not list it`);
for (const module of listed.filter((path) => !onDemand.includes(path))) failures.push(`src/lazy-chunks.ts lists ${module}, which the build does not load on demand`);

const preloads = await build({ entryPoints: ["src/lazy-chunks.ts"], absWorkingDir: root, bundle: true, write: false, metafile: true, format: "esm", outdir: "out", logLevel: "error" });
const preloaded = (preloads.metafile.inputs["src/lazy-chunks.ts"]?.imports ?? []).filter((imported) => imported.kind === "dynamic-import").map((imported) => imported.path);
if ([...preloaded].sort().join() !== [...listed].sort().join()) failures.push(`src/lazy-chunks.ts's loaders import ${preloaded.join(", ")}, not what its keys name`);

console.log("chunks loaded on demand (each with what it alone imports):");
for (const path of Object.keys(sources.outputs)) {
  const entryPoint = sources.outputs[path]?.entryPoint;
  if (entryPoint === undefined || path === sources.entry) continue;
  const own = staticClosure(sources, path).filter((output) => !sourceStatic.has(output));
  const size = sizeOf(sources, own);
  console.log(`  ${entryPoint}: ${size.files} file${size.files === 1 ? "" : "s"}, ${bytes(size.gzipped)} gzip`);
  const alone = gzip(sources.files.get(path)?.contents ?? new Uint8Array());
  if (alone < MIN_CHUNK) failures.push(`${entryPoint} is a chunk of ${bytes(alone)} gzip, under ${bytes(MIN_CHUNK)}: fold it into its caller`);
  if (entryPoint === "src/models/prepare.ts" && size.files !== 1) {
    failures.push(`a first submit loads ${size.files} chunks, not one: src/models/prepare.ts shares code with another chunk loaded on demand`);
  }
}

if (failures.length > 0) {
  console.error(`\nsize: ${failures.length} failed:\n${failures.map((failure) => `- ${failure}`).join("\n")}`);
  process.exit(1);
}
