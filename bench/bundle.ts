/**
 * 2. Bundle size: what `import { Modellix } from "modellix"` costs a browser
 * app before and at its first submit, next to peer SDKs bundled the same way;
 * where the bytes come from; and a check that the testing and CLI code stay
 * out of the browser entry. A first submit loads the validation chunk and the
 * catalog data of its namespace's model families (src/models/load-families.ts):
 * "before the first submit" is measured for every namespace, and the largest
 * (the worst case) is the one held to the budget.
 */
import { existsSync } from "node:fs";
import { NAMESPACES, type Namespace } from "../src/models/catalog.js";
import { FAMILIES, type Family } from "../src/models/families/index.js";
import { familiesOf } from "../src/models/load-families.js";
import { root } from "./lib/child.js";
import { type Share, type Size, buildPackageEntry, cleanScratch, oneFile, shares, split } from "./lib/bundles.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { kilobytes, ratio } from "./lib/stats.js";

/**
 * The one budget: the entry as a browser bundler splits it (the entry file and its static chunks,
 * concatenated), ≤ 24 KiB gzip, which `npm run size` checks. These rows measure one-file bundles,
 * comparable with the peers'; what a first submit loads is reported, not budgeted.
 */
const SPLIT_BUDGET = "entry as split ≤ 24 KiB (npm run size)";

/** The validation chunk: src/models/prepare.ts, which src/resources/submit.ts imports on the first submit. */
const isValidation = (path: string) => /(^|\/)prepare(-[\w]+)*\.(js|ts)$/.test(path);
const everyLazyChunk = () => true;
const allButValidation = (path: string) => !isValidation(path);

/** A family's data chunk: src/models/families/<family>.ts, which the validation chunk imports when a submit needs it. */
const isFamilyData = (families: readonly Family[]) => (path: string) =>
  families.some((family) => new RegExp(`(^|\\/)${family}(-[\\w]+)*\\.(js|ts)$`).test(path));
/** Keeps the validation chunk and the data of `families` in the one-file bundle; leaves every other lazy chunk out. */
const allButValidationAnd = (families: readonly Family[]) => (path: string) => !isValidation(path) && !isFamilyData(families)(path);
const ALL_FAMILIES = Object.keys(FAMILIES) as Family[];

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

/** `i2v + r2v` */
function familyList(families: readonly Family[]): string {
  return families.join(" + ");
}

/** `i2v (i2v + r2v)`: a namespace and the families its first submit loads. */
function pathName(path: { namespace: Namespace; families: readonly Family[] }): string {
  return path.families.length === 1 && path.families[0] === path.namespace ? path.namespace : `${path.namespace} (${familyList(path.families)})`;
}
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
    const validation = await oneFile(code, allButValidation);
    const chunk: Size = { minified: validation.minified - entry.minified, gzipped: validation.gzipped - entry.gzipped };
    // Before the first submit in each namespace: the entry, the validation chunk and that namespace's families.
    const paths = await Promise.all(
      NAMESPACES.map(async (namespace) => {
        const families = familiesOf(namespace);
        const size = await oneFile(code, allButValidationAnd(families));
        return { namespace, families, minified: size.minified, gzipped: size.gzipped, data: size.gzipped - validation.gzipped };
      }),
    );
    const worst = paths.reduce((a, b) => (b.gzipped > a.gzipped ? b : a));
    const quickStart = paths.find((path) => path.namespace === "t2i") as (typeof paths)[number];
    const everyFamily = await oneFile(code, allButValidationAnd(ALL_FAMILIES));
    const total = { minified: worst.minified, gzipped: worst.gzipped };
    const files = await split(code, (path) => isValidation(path) || isFamilyData(worst.families)(path));
    const quickStartFiles = await split(code, (path) => isValidation(path) || isFamilyData(quickStart.families)(path));
    const peers = await Promise.all(PEERS.map(async (peer) => ({ name: peer.name, code: peer.code, ...(await oneFile(peer.code)) })));
    const openai = peers.find((peer) => peer.name === "openai") as (typeof peers)[number];

    const source = `export { Modellix } from ${JSON.stringify(`${root}src/index.ts`)};`;
    const entryShares = await shares(source, everyLazyChunk);
    const entryFunctions = (await shares(source, everyLazyChunk, true)).shares.filter(own);
    const totalShares = await shares(source, allButValidationAnd(worst.families));
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
    const isData = (share: Share) => /src\/models\/families\/(?!index\.ts$)[\w-]+\.ts$/.test(share.input);
    const chunkParts = {
      "zod/mini": sumOf(totalShares.shares, isLibrary(["zod"])),
      [`catalog data of ${familyList(worst.families)} (src/models/families/)`]: sumOf(chunkShares, isData),
      "validation code (src/models/*)": sumOf(chunkShares, (share) => own(share) && !isData(share)),
    };

    const validationFiles = await split(code, isValidation);
    const pathRows = [...paths]
      .sort((a, b) => b.gzipped - a.gzipped)
      .map((path) => [
        pathName(path),
        kilobytes(path.data),
        kilobytes(path.minified),
        kilobytes(path.gzipped),
        path === worst ? "the worst case" : "",
      ]);

    return saveResult({
      name: "bundle",
      title: "2. Bundle size",
      setup:
        "The package's ESM entry is built the way `npm run build` builds it (tsup, ES2022, platform neutral, splitting, tree-shaking; ky, p-retry, p-queue and zod left as imports), " +
        "then `export { Modellix } from` it is bundled for a browser by esbuild (minify, tree-shake, ES2022, ESM) and gzipped at level 9, as size-limit does. " +
        "**Entry**: one file with every lazily loaded chunk left out (package.json's first size-limit check). " +
        "**Validation chunk**: zod/mini, the per-model checks and the catalog's loader, loaded by a dynamic import on the first submit (the one-file bundle with it inlined, minus the entry). " +
        "It loads the catalog data one model family at a time: a submit in a namespace loads the data of that namespace's families only (i2v: i2v + r2v; i2i: i2i + expansion), " +
        "and every family only for a model it does not find there (an unknown model, or one of another namespace, whose error names the right one) or an unknown `client.run` type. " +
        `**Before the first submit**: one file with the validation chunk and one namespace's family data inlined, for every namespace; the largest (${pathName(worst)}) is the worst case, ` +
        "and the t2i quick start is shown beside it. With code splitting a browser fetches several files, each gzipped alone: that sum is shown too. " +
        "Peers are the installed dev dependencies, bundled the same way (their whole static import graph; none loads more on a first call). " +
        "Shares: how much smaller the gzipped one-file bundle gets without an input's bytes (from the source map of a build of src/; shares overlap a little, so they do not add up to the whole).",
      rows: [
        {
          id: 2,
          measurement: "`import { Modellix }` (entry), min+gz",
          modellix: kilobytes(entry.gzipped),
          baseline: `openai ${kilobytes(openai.gzipped)}`,
          ratio: ratio(entry.gzipped / openai.gzipped),
          target: SPLIT_BUDGET,
        },
        {
          id: 2,
          measurement: "validation chunk (loaded on the first submit, without catalog data), min+gz",
          modellix: kilobytes(chunk.gzipped),
          baseline: `as its own files: ${kilobytes(validationFiles.onDemand.gzipped)}`,
          ratio: "",
          target: "",
        },
        {
          id: 2,
          measurement: `total before the first submit, worst case (entry + chunk + ${familyList(worst.families)} data), min+gz`,
          modellix: kilobytes(total.gzipped),
          baseline: peers.map((peer) => `${peer.name} ${kilobytes(peer.gzipped)}`).join(", "),
          ratio: peers.map((peer) => ratio(total.gzipped / peer.gzipped)).join(", "),
          target: "reported",
        },
        {
          id: 2,
          measurement: "total before the first submit, t2i quick start (entry + chunk + t2i data), min+gz",
          modellix: kilobytes(quickStart.gzipped),
          baseline: `openai ${kilobytes(openai.gzipped)}`,
          ratio: ratio(quickStart.gzipped / openai.gzipped),
          target: "reported",
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
            ["modellix entry: `import { Modellix }`", kilobytes(entry.minified), kilobytes(entry.gzipped), `${kilobytes(files.atImport.gzipped)} in ${plural(files.atImport.files, "file")}`, SPLIT_BUDGET],
            [
              "modellix validation chunk (no catalog data)",
              kilobytes(chunk.minified),
              kilobytes(chunk.gzipped),
              `${kilobytes(validationFiles.onDemand.gzipped)} in ${plural(validationFiles.onDemand.files, "file")}`,
              "",
            ],
            [
              `modellix before the first submit, worst case: ${pathName(worst)}`,
              kilobytes(total.minified),
              kilobytes(total.gzipped),
              `${kilobytes(files.atImport.gzipped + files.onDemand.gzipped)} in ${plural(files.atImport.files + files.onDemand.files, "file")}`,
              "reported",
            ],
            [
              "modellix before the first submit, t2i quick start",
              kilobytes(quickStart.minified),
              kilobytes(quickStart.gzipped),
              `${kilobytes(quickStartFiles.atImport.gzipped + quickStartFiles.onDemand.gzipped)} in ${plural(quickStartFiles.atImport.files + quickStartFiles.onDemand.files, "file")}`,
              "reported",
            ],
            [
              "modellix with every family's data (after a model no namespace's families hold)",
              kilobytes(everyFamily.minified),
              kilobytes(everyFamily.gzipped),
              "",
              "",
            ],
            ...peers.map((peer) => [`${peer.name}: \`${peer.code}\``, kilobytes(peer.minified), kilobytes(peer.gzipped), "", ""]),
            ["modellix/testing (Node)", kilobytes(testing.minified), kilobytes(testing.gzipped), "", ""],
            ...(cli ? [["modellix CLI (Node)", kilobytes(cli.minified), kilobytes(cli.gzipped), "", ""]] : []),
          ],
        ),
        "",
        `Leaks into the browser entry (modules of src/testing, src/cli, src/node, src/proxy, src/redis, or node:http, node:fs, node:net, FakeModellix, createFakeServer, runCli in its text): ${leaks.length ? leaks.join(", ") : "none"}.`,
        "",
        "**Before the first submit, by namespace** (one file: the entry, the validation chunk and the data of the families a first submit in that namespace loads; " +
          "the data column is what those families add to the gzipped file):",
        "",
        ...table(["first submit in (families loaded)", "catalog data, min+gz", "minified", "min+gz", "budget"], pathRows),
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
        `**Where the bytes loaded on the first submit come from** (shares of the gzipped worst-case before-the-first-submit bundle, ${pathName(worst)}): ${Object.entries(chunkParts)
          .map(([name, size]) => `${name} ${kilobytes(size)}`)
          .join(", ")}.`,
        "",
        ...table(["input", "minified", "share of min+gz"], shareRows(chunkShares, 12)),
      ],
      data: {
        entry: { minified: entry.minified, gzipped: entry.gzipped },
        chunk,
        total: { minified: total.minified, gzipped: total.gzipped },
        worstCase: { namespace: worst.namespace, families: worst.families },
        quickStart: { minified: quickStart.minified, gzipped: quickStart.gzipped },
        byNamespace: paths,
        everyFamily: { minified: everyFamily.minified, gzipped: everyFamily.gzipped },
        split: files,
        splitValidation: validationFiles,
        splitQuickStart: quickStartFiles,
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
