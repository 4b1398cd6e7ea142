/**
 * 2. Bundle size: what `import { Modellix } from "modellix"` costs a browser
 * app before and at its first submit, next to peer SDKs bundled the same way;
 * where the bytes come from; and a check that the testing and CLI code stay
 * out of the browser entry.
 */
import { existsSync } from "node:fs";
import { root } from "./lib/child.js";
import { type Share, type Size, buildPackageEntry, cleanScratch, oneFile, shares, split } from "./lib/bundles.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { kilobytes, ratio } from "./lib/stats.js";

/** Budgets of issue 11 (kB of 1000 bytes, min + gzip), as package.json's size-limit checks them. */
const ENTRY_BUDGET = 23_000;
const TOTAL_BUDGET = 34_000;

/** The validation chunk: src/models/prepare.ts, which src/resources/submit.ts imports on the first submit. */
const isValidation = (path: string) => /(^|\/)prepare(-[\w]+)*\.(js|ts)$/.test(path);
const everyLazyChunk = () => true;
const allButValidation = (path: string) => !isValidation(path);

const PEERS = [
  { name: "openai", code: 'export { default } from "openai";' },
  { name: "@fal-ai/client", code: 'export { fal } from "@fal-ai/client";' },
  { name: "replicate", code: 'export { default } from "replicate";' },
] as const;

/** Groups the shares of one bundle: each of our files, and the libraries by package. */
function shareRows(list: readonly Share[], limit: number): (string | number)[][] {
  return list.slice(0, limit).map((share) => [share.input.startsWith("src/") ? `\`${share.input}\`` : share.input, bytes(share.minified), bytes(share.gzipped)]);
}

/** Bytes as `1,234 B`. */
function bytes(count: number): string {
  return `${count.toLocaleString("en")} B`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function sumOf(list: readonly Share[], pick: (share: Share) => boolean): number {
  return list.filter(pick).reduce((sum, share) => sum + share.gzipped, 0);
}

const own = (share: Share) => share.input.startsWith("src/");
const isLibrary = (names: readonly string[]) => (share: Share) => names.includes(share.input);

/** Node-only code and the extras that must stay out of the browser entry. */
function leaksOf(bundle: { text: string; inputs: string[] }): string[] {
  const files = bundle.inputs.filter((input) => /(^|\/)src\/(testing|cli|node|proxy|redis)\//.test(input));
  const markers = ["node:http", "node:fs", "node:net", "FakeModellix", "createFakeServer", "runCli"].filter((marker) => bundle.text.includes(marker));
  return [...files, ...markers.map((marker) => `text "${marker}"`)];
}

/** Bundles everything and saves `results/bundle.json`. */
export async function measureBundles(): Promise<BenchResult> {
  try {
    const index = await buildPackageEntry();
    const code = `export { Modellix } from ${JSON.stringify(index)};`;
    const entry = await oneFile(code, everyLazyChunk);
    const total = await oneFile(code, allButValidation);
    const chunk: Size = { minified: total.minified - entry.minified, gzipped: total.gzipped - entry.gzipped };
    const files = await split(code, isValidation);
    const peers = await Promise.all(PEERS.map(async (peer) => ({ name: peer.name, code: peer.code, ...(await oneFile(peer.code)) })));
    const openai = peers.find((peer) => peer.name === "openai") as (typeof peers)[number];

    const source = `export { Modellix } from ${JSON.stringify(`${root}src/index.ts`)};`;
    const entryShares = await shares(source, everyLazyChunk);
    const entryFunctions = (await shares(source, everyLazyChunk, true)).shares.filter(own);
    const totalShares = await shares(source, allButValidation);
    const inEntry = new Set(entryShares.shares.map((share) => share.input));
    const chunkShares = totalShares.shares.filter((share) => !inEntry.has(share.input) || share.input === "zod");

    const node = { platform: "node" as const, external: ["msw", "msw/*", "ioredis"] };
    const testing = await oneFile(`export * from ${JSON.stringify(`${root}src/testing/index.ts`)};`, undefined, node);
    const cliFile = `${root}src/cli/index.ts`;
    const cli = existsSync(cliFile) ? await oneFile({ file: cliFile }, undefined, node) : undefined;
    const leaks = leaksOf(entry);

    const libraries = {
      ky: sumOf(entryShares.shares, isLibrary(["ky"])),
      "p-queue (+ eventemitter3, p-timeout)": sumOf(entryShares.shares, isLibrary(["p-queue", "eventemitter3", "p-timeout"])),
      "p-retry (+ is-network-error)": sumOf(entryShares.shares, isLibrary(["p-retry", "is-network-error"])),
      "our code (src/)": sumOf(entryShares.shares, own),
    };
    const chunkParts = {
      "zod/mini": sumOf(totalShares.shares, isLibrary(["zod"])),
      "catalog data (src/models/params.ts, entries.ts)": sumOf(chunkShares, (share) => /src\/models\/(params|entries)\.ts$/.test(share.input)),
      "validation code (src/models/*)": sumOf(chunkShares, (share) => own(share) && !/src\/models\/(params|entries)\.ts$/.test(share.input)),
    };
    const within = (size: number, budget: number) => `${kilobytes(size)} of ${kilobytes(budget)}: ${size <= budget ? "within" : `over by ${kilobytes(size - budget)}`}`;

    return saveResult({
      name: "bundle",
      title: "2. Bundle size",
      setup:
        "The package's ESM entry is built the way `npm run build` builds it (tsup, ES2022, platform neutral, splitting, tree-shaking; ky, p-retry, p-queue and zod left as imports), " +
        "then `export { Modellix } from` it is bundled for a browser by esbuild (minify, tree-shake, ES2022, ESM) and gzipped at level 9, as size-limit does. " +
        "**Entry**: one file with every lazily loaded chunk left out (package.json's first size-limit check). " +
        "**Before the first submit**: one file with the validation chunk (zod/mini, the catalog, the per-model checks; loaded by a dynamic import on the first submit) inlined (the second check); " +
        "**chunk** is the difference. With code splitting a browser fetches several files, each gzipped alone: that sum is shown too. " +
        "Peers are the installed dev dependencies, bundled the same way (their whole static import graph; none loads more on a first call). " +
        "Shares: how much smaller the gzipped one-file bundle gets without an input's bytes (from the source map of a build of src/; shares overlap a little, so they do not add up to the whole).",
      rows: [
        {
          id: 2,
          measurement: "`import { Modellix }` (entry), min+gz",
          modellix: kilobytes(entry.gzipped),
          baseline: `openai ${kilobytes(openai.gzipped)}`,
          ratio: ratio(entry.gzipped / openai.gzipped),
          target: `≤ ${kilobytes(ENTRY_BUDGET)}`,
        },
        {
          id: 2,
          measurement: "validation chunk (loaded on the first submit), min+gz",
          modellix: kilobytes(chunk.gzipped),
          baseline: `as its own files: ${kilobytes(files.onDemand.gzipped)}`,
          ratio: "",
          target: "",
        },
        {
          id: 2,
          measurement: "total before the first submit (entry + chunk), min+gz",
          modellix: kilobytes(total.gzipped),
          baseline: peers.map((peer) => `${peer.name} ${kilobytes(peer.gzipped)}`).join(", "),
          ratio: peers.map((peer) => ratio(total.gzipped / peer.gzipped)).join(", "),
          target: `≤ ${kilobytes(TOTAL_BUDGET)}, < openai`,
        },
        {
          id: 2,
          measurement: "testing / CLI leaking into the browser entry",
          modellix: leaks.length ? leaks.join(", ") : "none",
          baseline: `testing ${kilobytes(testing.gzipped)}${cli ? `, CLI ${kilobytes(cli.gzipped)}` : ""} (min+gz, Node)`,
          ratio: "",
          target: "none",
        },
      ],
      detail: [
        ...table(
          ["bundle", "minified", "min+gz", "as split files (min+gz)", "budget"],
          [
            ["modellix entry: `import { Modellix }`", kilobytes(entry.minified), kilobytes(entry.gzipped), `${kilobytes(files.atImport.gzipped)} in ${plural(files.atImport.files, "file")}`, within(entry.gzipped, ENTRY_BUDGET)],
            ["modellix validation chunk", kilobytes(chunk.minified), kilobytes(chunk.gzipped), `${kilobytes(files.onDemand.gzipped)} in ${plural(files.onDemand.files, "file")}`, ""],
            [
              "modellix before the first submit",
              kilobytes(total.minified),
              kilobytes(total.gzipped),
              kilobytes(files.atImport.gzipped + files.onDemand.gzipped),
              within(total.gzipped, TOTAL_BUDGET),
            ],
            ...peers.map((peer) => [`${peer.name}: \`${peer.code}\``, kilobytes(peer.minified), kilobytes(peer.gzipped), "", ""]),
            ["modellix/testing (Node)", kilobytes(testing.minified), kilobytes(testing.gzipped), "", ""],
            ...(cli ? [["modellix CLI (Node)", kilobytes(cli.minified), kilobytes(cli.gzipped), "", ""]] : []),
          ],
        ),
        "",
        `Leaks into the browser entry (modules of src/testing, src/cli, src/node, src/proxy, src/redis, or node:http, node:fs, node:net, FakeModellix, createFakeServer, runCli in its text): ${leaks.length ? leaks.join(", ") : "none"}.`,
        "",
        `**Where the entry's ${kilobytes(entryShares.total.gzipped)} come from** (shares of the gzipped one-file entry built from src/): ` +
          Object.entries(libraries)
            .map(([name, size]) => `${name} ${kilobytes(size)}`)
            .join(", ") +
          ". The largest inputs:",
        "",
        ...table(["input", "minified", "share of min+gz"], shareRows(entryShares.shares, 20)),
        "",
        "The largest functions, methods and constants of src/ in the entry (the same shares, our files split by declaration):",
        "",
        ...table(["declaration", "minified", "share of min+gz"], shareRows(entryFunctions, 30)),
        "",
        `**Where the validation chunk's bytes come from** (shares of the gzipped before-the-first-submit bundle): ${Object.entries(chunkParts)
          .map(([name, size]) => `${name} ${kilobytes(size)}`)
          .join(", ")}.`,
        "",
        ...table(["input", "minified", "share of min+gz"], shareRows(chunkShares, 12)),
      ],
      data: {
        entry: { minified: entry.minified, gzipped: entry.gzipped },
        chunk,
        total: { minified: total.minified, gzipped: total.gzipped },
        split: files,
        budgets: { entry: ENTRY_BUDGET, total: TOTAL_BUDGET },
        peers: peers.map(({ name, minified, gzipped }) => ({ name, minified, gzipped })),
        testing: { minified: testing.minified, gzipped: testing.gzipped },
        cli: cli ? { minified: cli.minified, gzipped: cli.gzipped } : null,
        leaks,
        entryShares: entryShares.shares,
        entryFunctions: entryFunctions.slice(0, 60),
        chunkShares,
        libraries,
        chunkParts,
      },
    });
  } finally {
    cleanScratch();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await measureBundles();
