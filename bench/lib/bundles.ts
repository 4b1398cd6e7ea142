/**
 * Bundle measurements: the package's ESM build made the way `npm run build`
 * makes it, then bundled for a browser by esbuild (minified, ES2022, ESM,
 * tree-shaken) as size-limit does, and gzipped at level 9. Also where the bytes
 * come from: each input's share of the gzipped bundle, from the source map.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, type Plugin, build } from "esbuild";
import { build as tsup } from "tsup";
import ts from "typescript";
import { entries } from "../../tsup.config.js";
import { root } from "./child.js";
import { readMappings } from "./source-map.js";

/** A scratch directory of this process under node_modules/.cache. */
export const scratch = `${root}node_modules/.cache/modellix-bench/bundle-${process.pid}`;

/**
 * Builds the ESM `index` entry into `scratch/dist` with the options of the
 * package's own ESM build (tsup.config.ts: ES2022, platform neutral, splitting,
 * tree-shaking, the runtime libraries left as imports), without declarations.
 * Returns the path of its index.js.
 */
export async function buildPackageEntry(): Promise<string> {
  const outDir = `${scratch}/dist`;
  await tsup({
    config: false,
    entry: { index: entries.index },
    format: ["esm"],
    target: "es2022",
    platform: "neutral",
    external: ["msw", "ioredis", /^node:/],
    splitting: true,
    treeshake: true,
    outDir,
    silent: true,
  });
  return `${outDir}/index.js`;
}

/** Removes the scratch directory. */
export function cleanScratch(): void {
  rmSync(scratch, { recursive: true, force: true });
}

/** Sizes of one bundle. */
export interface Size {
  minified: number;
  gzipped: number;
}

const gz = (bytes: Uint8Array | string): number => gzipSync(bytes, { level: 9 }).byteLength;

/** Which dynamic imports a one-file bundle leaves out (they load later, as files of their own). */
export type LeaveOut = (path: string) => boolean;

function external(leaveOut: LeaveOut | undefined): Plugin[] {
  if (!leaveOut) return [];
  return [
    {
      name: "lazy-chunks-external",
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, (args) => (args.kind === "dynamic-import" && leaveOut(args.path) ? { path: args.path, external: true } : undefined));
      },
    },
  ];
}

const browser: BuildOptions = { bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "error" };

/** A module's source that imports what it measures (its exports kept, as an app using them would). */
function entryFile(code: string): string {
  mkdirSync(scratch, { recursive: true });
  const file = `${scratch}/entry-${Math.random().toString(36).slice(2)}.mjs`;
  writeFileSync(file, code);
  return file;
}

/**
 * One browser bundle of `code` (e.g. `export { Modellix } from "…/index.js"`), in one
 * file as size-limit makes it: the dynamic imports `leaveOut` picks left out, every other
 * dynamic import inlined.
 */
export async function oneFile(code: string | { file: string }, leaveOut?: LeaveOut, options: BuildOptions = {}): Promise<Size & { text: string; inputs: string[] }> {
  const entryPoint = typeof code === "string" ? entryFile(code) : code.file;
  const result = await build({ ...browser, entryPoints: [entryPoint], metafile: true, plugins: external(leaveOut), ...options });
  const output = result.outputFiles?.[0];
  if (!output) throw new Error("esbuild wrote nothing");
  return { minified: output.contents.byteLength, gzipped: gz(output.contents), text: output.text, inputs: Object.keys(result.metafile?.inputs ?? {}) };
}

/** The files a browser loads, with code splitting: those the entry imports statically, and those the dynamic imports `onDemand` picks add. */
export interface SplitSizes {
  /** The entry file and the chunks it imports statically. */
  atImport: Size & { files: number };
  /** The files those dynamic imports add (their chunks not loaded already). */
  onDemand: Size & { files: number };
}

/** Bundles `code` with code splitting and sums the gzipped size of each file a browser fetches, at import and on demand. */
export async function split(code: string, onDemand: (chunk: string) => boolean): Promise<SplitSizes> {
  const result = await build({ ...browser, entryPoints: { entry: entryFile(code) }, splitting: true, outdir: `${scratch}/split`, metafile: true });
  const outputs = result.metafile?.outputs ?? {};
  const byName = new Map((result.outputFiles ?? []).map((file) => [file.path.split("/").pop() ?? "", file.contents]));
  const name = (path: string) => path.split("/").pop() ?? "";
  // Every dynamically imported module is an entry point of the build too: find ours by its output name.
  const entry = Object.keys(outputs).find((path) => name(path) === "entry.js");
  if (!entry) throw new Error("no entry output");
  /** The file and every chunk it imports statically, transitively. */
  const closure = (start: string, into: Set<string>) => {
    if (into.has(name(start))) return;
    into.add(name(start));
    for (const imported of outputs[start]?.imports ?? []) {
      if (imported.kind === "import-statement") closure(Object.keys(outputs).find((path) => name(path) === name(imported.path)) ?? imported.path, into);
    }
  };
  const atImport = new Set<string>();
  closure(entry, atImport);
  const later = new Set<string>();
  for (const path of Object.keys(outputs)) {
    for (const imported of outputs[path]?.imports ?? []) {
      if (imported.kind === "dynamic-import" && onDemand(name(imported.path))) {
        const target = Object.keys(outputs).find((candidate) => name(candidate) === name(imported.path));
        if (target) closure(target, later);
      }
    }
  }
  for (const file of atImport) later.delete(file);
  const sum = (files: Set<string>): Size & { files: number } => {
    let minified = 0;
    let gzipped = 0;
    for (const file of files) {
      const contents = byName.get(file);
      if (!contents) continue;
      minified += contents.byteLength;
      gzipped += gz(contents);
    }
    return { minified, gzipped, files: files.size };
  };
  return { atImport: sum(atImport), onDemand: sum(later) };
}

/** An input's share of a bundle. */
export interface Share {
  /** The input, relative to the repository (`src/core/transport.ts`, `ky`, …). */
  input: string;
  /** Bytes of the minified output it produced. */
  minified: number;
  /** What the gzipped bundle shrinks by when that input's bytes are removed. */
  gzipped: number;
}

/** The package an input belongs to, or its repository path for our own files (`source` is relative to the scratch directory). */
function owner(source: string | null): string {
  if (!source) return "(esbuild runtime)";
  source = resolve(scratch, source);
  const module = /node_modules\/(?!\.cache)((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (module) return module[1] ?? source;
  const own = /(?:^|\/)(src\/.*)$/.exec(source);
  return own?.[1] ?? source;
}

/** The functions, methods and classes of a source file, by the lines they span (innermost wins). */
function declarations(file: string): { name: string; from: number; to: number }[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: { name: string; from: number; to: number }[] = [];
  const line = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const visit = (node: ts.Node, owner: string) => {
    let name: string | undefined;
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) name = node.name?.text;
    else if ((ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isPropertyDeclaration(node)) && node.name) name = `${owner}${node.name.getText(source)}`;
    else if (ts.isConstructorDeclaration(node)) name = `${owner}constructor`;
    else if (ts.isVariableStatement(node) && node.parent === source) name = node.declarationList.declarations.map((d) => d.name.getText(source)).join(", ");
    if (name !== undefined) found.push({ name, from: line(node.getStart(source)), to: line(node.getEnd()) });
    const prefix = ts.isClassDeclaration(node) && node.name ? `${node.name.text}.` : owner;
    ts.forEachChild(node, (child) => visit(child, prefix));
  };
  visit(source, "");
  return found.sort((a, b) => b.from - a.from || a.to - b.to);
}

/**
 * Where the gzipped bytes of a one-file bundle of `code` come from: for each
 * input (our files one by one, each package as a whole), the bytes it produced
 * and how much smaller the gzipped bundle gets without them. The shares do not
 * add up exactly to the whole (gzip shares repeated text between inputs).
 * With `byFunction`, our files are split further into their top-level
 * functions, classes' members and constants.
 */
export async function shares(code: string, leaveOut?: LeaveOut, byFunction = false): Promise<{ total: Size; shares: Share[] }> {
  const result = await build({ ...browser, entryPoints: [entryFile(code)], plugins: external(leaveOut), sourcemap: "external", outfile: `${scratch}/attribution.js` });
  const js = result.outputFiles?.find((file) => file.path.endsWith(".js"))?.text ?? "";
  const map = result.outputFiles?.find((file) => file.path.endsWith(".map"))?.text;
  if (!map) throw new Error("no source map");
  const lineStarts = [0];
  for (let index = js.indexOf("\n"); index !== -1; index = js.indexOf("\n", index + 1)) lineStarts.push(index + 1);
  const segments: { at: number; source: string }[] = [];
  const spans = new Map<string, { name: string; from: number; to: number }[]>();
  const inside = (source: string | null, originalLine: number | null): string => {
    const input = owner(source);
    if (!byFunction || !source || !input.startsWith("src/") || originalLine === null) return input;
    let list = spans.get(input);
    if (!list) {
      list = declarations(resolve(scratch, source));
      spans.set(input, list);
    }
    const found = list.find((span) => span.from <= originalLine && originalLine <= span.to);
    return found ? `${input}: ${found.name}` : `${input}: (top level)`;
  };
  for (const mapping of readMappings(map)) {
    segments.push({ at: (lineStarts[mapping.generatedLine - 1] ?? 0) + mapping.generatedColumn, source: inside(mapping.source, mapping.originalLine) });
  }
  segments.sort((a, b) => a.at - b.at);
  /** The output as runs of consecutive bytes from one owner. */
  const runs: { from: number; to: number; owner: string }[] = [];
  const push = (from: number, to: number, who: string) => {
    if (to <= from) return;
    const last = runs.at(-1);
    if (last && last.owner === who && last.to === from) last.to = to;
    else runs.push({ from, to, owner: who });
  };
  push(0, segments[0]?.at ?? js.length, "(esbuild runtime)");
  for (const [index, segment] of segments.entries()) push(segment.at, segments[index + 1]?.at ?? js.length, segment.source);
  const total = gz(js);
  const list: Share[] = [];
  for (const input of new Set(runs.map((run) => run.owner))) {
    const rest = runs.filter((run) => run.owner !== input).map((run) => js.slice(run.from, run.to)).join("");
    list.push({ input, minified: js.length - rest.length, gzipped: total - gz(rest) });
  }
  return { total: { minified: js.length, gzipped: total }, shares: list.sort((a, b) => b.gzipped - a.gzipped) };
}
