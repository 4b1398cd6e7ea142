/**
 * The runtimes the README claims besides Node and browsers: Bun, Deno and the
 * edge runtime (the `edge-runtime` package's VM: fetch and web APIs, no Node
 * APIs, no eval). Each runs the quick start (test/runtimes/quickstart.ts) on the
 * built ESM package (`dist/index.js`) against the bundled fake server: submit a
 * text-to-image task, wait for its result, trigger a typed error.
 *
 * The runtimes are not devDependencies (see optional-packages.ts): one that is
 * not installed skips, saying how to install it, except with CI=true, where it fails.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeServer, createFakeServer } from "modellix/testing";
import { ensureDist, root } from "./dist-build.js";
import { type Availability, importOptional, requireOptional } from "./optional-packages.js";
import type { QuickstartOutcome, QuickstartTarget } from "./runtimes/quickstart.js";

const run = promisify(execFile);
const apiKey = "mlx-runtime-test-key";
const quickstartFile = join(root, "test", "runtimes", "quickstart.ts");
/** Each runtime gets this long for the whole quick start (it needs well under a second of fake time). */
const runTimeoutMs = 60_000;
const bin = (name: string) => join(root, "node_modules", ".bin", name);

/** Runs a command; fails with its output, not just its exit code. */
async function exec(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd: root, env: { ...process.env, ...env }, timeout: runTimeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "", code, signal } = error as { stdout?: string; stderr?: string; code?: unknown; signal?: unknown };
    throw new Error(`${[file, ...args].join(" ")} failed (exit code ${code}, signal ${signal}):\n${stdout}\n${stderr}`.trim());
  }
}

/** Whether an installed runtime binary runs, or why it cannot. */
async function probe(file: string, args: string[]): Promise<Availability> {
  try {
    await run(file, args, { cwd: root, timeout: 30_000 });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${file} ${args.join(" ")}: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** The part of the `edge-runtime` package this test uses. */
interface EdgeRuntimeModule {
  EdgeRuntime: new (options: { initialCode: string }) => { evaluate<T = unknown>(code: string): T };
}

/** A module that imports the built package and the quick start by file URL, runs it and prints the outcome. */
function runnerSource(target: QuickstartTarget): string {
  return [
    `import * as sdk from ${JSON.stringify(pathToFileURL(join(root, "dist", "index.js")).href)};`,
    `import { quickstart } from ${JSON.stringify(pathToFileURL(quickstartFile).href)};`,
    `console.log(JSON.stringify(await quickstart(sdk, ${JSON.stringify(target)})));`,
  ].join("\n");
}

/** The last line of a runtime's output, as the quick start's outcome. */
function parseOutcome(stdout: string): QuickstartOutcome {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as QuickstartOutcome;
}

describe("the quick start in other runtimes, on the built package", () => {
  let server: FakeServer;
  let target: QuickstartTarget;
  let origin: string;
  let scratch: string;

  beforeAll(async () => {
    await ensureDist();
    server = await createFakeServer({ apiKeys: [apiKey], pendingMs: 50, durationMs: 150 });
    origin = new URL(server.url).origin;
    target = { baseURL: origin, apiKey };
    await mkdir(join(root, "test-output"), { recursive: true });
    scratch = await mkdtemp(join(root, "test-output", "runtimes-"));
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** The outcome every runtime must report. */
  function expectQuickstart(outcome: QuickstartOutcome, runtime: string): void {
    expect(outcome.runtime).toBe(runtime);
    expect(outcome.taskId).toEqual(expect.any(String));
    expect(outcome.resultId).toBe(outcome.taskId);
    expect(outcome.resourceUrls.length).toBeGreaterThan(0);
    for (const url of outcome.resourceUrls) expect(url).toMatch(new RegExp(`^${origin}/`));
    expect(outcome.error).toEqual({ name: "ValidationError", validation: true, modellix: true, mentionsKey: false });
  }

  it("Bun", async (context) => {
    requireOptional(context, "Bun", await probe(bin("bun"), ["--version"]));
    const runner = join(scratch, "bun.mjs");
    await writeFile(runner, runnerSource(target));

    expectQuickstart(parseOutcome(await exec(bin("bun"), [runner])), "bun");
  }, runTimeoutMs + 30_000);

  it("Deno (network limited to 127.0.0.1)", async (context) => {
    const env = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
    requireOptional(context, "Deno", await probe(bin("deno"), ["--version"]));
    const runner = join(scratch, "deno.mjs");
    await writeFile(runner, runnerSource(target));

    // The package's dependencies resolve from node_modules through package.json (cwd is the repo root).
    // --allow-env: like `new Modellix()` in the README, the client reads MODELLIX_* variables.
    const args = ["run", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", "--allow-env", runner];
    expectQuickstart(parseOutcome(await exec(bin("deno"), args, env)), "deno");
  }, runTimeoutMs + 30_000);

  it("the edge runtime (fetch and web APIs only: no process, no require, no eval)", async (context) => {
    const edge = await importOptional<EdgeRuntimeModule>("edge-runtime");
    requireOptional(context, "The edge runtime", edge);
    if (!edge.ok) return;

    // Bundled as an edge bundler would (edge-light/worker/browser conditions), into one script.
    const bundled = await build({
      stdin: {
        contents: [
          `import * as sdk from ${JSON.stringify(join(root, "dist", "index.js"))};`,
          `import { quickstart } from ${JSON.stringify(quickstartFile)};`,
          "globalThis.runQuickstart = (target) => quickstart(sdk, target).then((outcome) => JSON.stringify(outcome));",
        ].join("\n"),
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      conditions: ["edge-light", "worker"],
      target: "es2022",
      logLevel: "silent",
    });
    const runtime = new edge.module.EdgeRuntime({ initialCode: bundled.outputFiles[0]?.text ?? "" });

    expect(runtime.evaluate("[typeof fetch, typeof process, typeof require, typeof Buffer].join()")).toBe("function,undefined,undefined,undefined");
    expect(runtime.evaluate("(() => { try { return typeof new Function('return 1'); } catch { return 'no eval'; } })()")).toBe("no eval");
    const outcome = JSON.parse(await runtime.evaluate<Promise<string>>(`runQuickstart(${JSON.stringify(target)})`)) as QuickstartOutcome;
    expectQuickstart(outcome, "edge-runtime");
  }, runTimeoutMs);
});
