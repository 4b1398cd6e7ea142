/**
 * 2. Bundle size: what `import { Modellix } from "modellix"` costs a browser
 * app, bundled with esbuild (minified, ES2022, tree-shaken) and gzipped, next to
 * peer SDKs bundled the same way; plus the size of `modellix/testing` and the
 * CLI, and a check that neither leaks into the browser entry.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { kilobytes, ratio } from "./lib/stats.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const BUDGET = 20_000;

interface Bundle {
  name: string;
  entry: string;
  minified: number;
  gzipped: number;
  /** Source files of this repository that ended up in the bundle. */
  ownInputs: string[];
  text: string;
}

/**
 * Bundles `entry` and measures it: an entry module's text resolved from the
 * repository root, or (`{ file }`) a file used as the entry point itself.
 */
async function measure(name: string, entry: string | { file: string }, options: BuildOptions = {}): Promise<Bundle> {
  const input: BuildOptions =
    typeof entry === "string" ? { stdin: { contents: entry, resolveDir: root, loader: "ts", sourcefile: `${name}.ts` } } : { entryPoints: [`${root}${entry.file}`] };
  const result = await build({
    ...input,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "error",
    ...options,
  });
  const output = result.outputFiles?.[0];
  if (!output || !result.metafile) throw new Error(`esbuild wrote nothing for ${name}`);
  return {
    name,
    entry: typeof entry === "string" ? entry : entry.file,
    minified: output.contents.byteLength,
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength,
    ownInputs: Object.keys(result.metafile.inputs).filter((input) => input.startsWith("src/")),
    text: output.text,
  };
}

/** Node-only code and the extras that must stay out of the browser entry. */
function leaksOf(bundle: Bundle): string[] {
  const files = bundle.ownInputs.filter((input) => /^src\/(testing|cli|node|proxy|redis)\//.test(input));
  const markers = ["node:http", "node:fs", "node:net", "FakeModellix", "createFakeServer", "runCli"].filter((marker) => bundle.text.includes(marker));
  return [...files, ...markers.map((marker) => `text "${marker}"`)];
}

/** Bundles everything and saves `results/bundle.json`. */
export async function measureBundles(): Promise<BenchResult> {
  const node: BuildOptions = { platform: "node", external: ["msw", "msw/*", "ioredis"] };
  const modellix = await measure("modellix", 'export { Modellix } from "modellix";');
  const peers = [
    await measure("@fal-ai/client", 'export { fal } from "@fal-ai/client";'),
    await measure("replicate", 'export { default } from "replicate";'),
    await measure("openai", 'export { default } from "openai";'),
  ];
  const testingEntry = await measure("modellix/testing", 'export * from "modellix/testing";', node);
  const cliFile = "src/cli/index.ts";
  const cli = existsSync(`${root}${cliFile}`) ? await measure("modellix CLI", { file: cliFile }, node) : undefined;
  const leaks = leaksOf(modellix);
  const resolvedFromSource = modellix.ownInputs.includes("src/index.ts");
  if (!resolvedFromSource) throw new Error('"modellix" did not resolve to src/index.ts (check tsconfig paths)');

  const row = (bundle: Bundle, platform: string, compare: boolean) => [
    bundle.name,
    `\`${bundle.entry}\``,
    platform,
    kilobytes(bundle.minified),
    kilobytes(bundle.gzipped),
    compare ? ratio(modellix.gzipped / bundle.gzipped) : "",
  ];
  const rows = [row(modellix, "browser", true), ...peers.map((peer) => row(peer, "browser", true)), row(testingEntry, "node", false)];
  if (cli) rows.push(row(cli, "node", false));
  const notes = [
    "",
    `Browser entry budget: ${kilobytes(BUDGET)} min+gz (${modellix.gzipped <= BUDGET ? "within" : "over"}).`,
    `Leaks into the browser entry (modules of src/testing, src/cli, src/node, src/proxy, src/redis, or node:http/node:fs/node:net, FakeModellix, createFakeServer, runCli in its text): ${leaks.length ? leaks.join(", ") : "none"}.`,
    cli ? "" : "The CLI (src/cli/index.ts) does not exist in this checkout; its size is not measured.",
  ];
  return saveResult({
    name: "bundle",
    title: "2. Bundle size",
    setup:
      "Each entry bundled by esbuild (bundle, minify, tree-shake, ES2022, ESM; `platform: browser` for the SDKs, `node` for the testing entry and the CLI, msw and ioredis left external) " +
      'and gzipped at level 9. `"modellix"` resolves to src/index.ts through the tsconfig paths, as it does for the examples; peers are the versions installed as dev dependencies. ' +
      "The last column is modellix's browser entry divided by each browser bundle.",
    rows: [
      {
        id: 2,
        measurement: "browser bundle of `import { Modellix }`, min+gz",
        modellix: kilobytes(modellix.gzipped),
        baseline: peers.map((peer) => `${peer.name} ${kilobytes(peer.gzipped)}`).join(", "),
        ratio: peers.map((peer) => ratio(modellix.gzipped / peer.gzipped)).join(", "),
        target: `≤ ${kilobytes(BUDGET)}`,
      },
      {
        id: 2,
        measurement: "testing / CLI leaking into the browser entry",
        modellix: leaks.length ? leaks.join(", ") : "none",
        baseline: `testing ${kilobytes(testingEntry.gzipped)}${cli ? `, CLI ${kilobytes(cli.gzipped)}` : ", CLI absent"} (min+gz)`,
        ratio: "",
        target: "none",
      },
    ],
    detail: [...table(["bundle", "entry", "platform", "minified", "min+gz", "modellix ÷"], rows), ...notes.filter((line, index) => index === 0 || line)],
    data: {
      bundles: [modellix, ...peers, testingEntry, ...(cli ? [cli] : [])].map(({ text, ...bundle }) => bundle),
      leaks,
      budget: BUDGET,
      cli: cli ? "measured" : "absent",
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measureBundles();
