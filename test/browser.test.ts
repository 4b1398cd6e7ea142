/**
 * The package's ESM build in a real browser (Debian Chromium, headless): the page
 * (test/browser/page.ts) is bundled by esbuild from `dist/index.js` with code
 * splitting, as an app's bundler would, and served with `modellix/proxy` at
 * /api/modellix in front of the fake Modellix, which accepts only the server's key.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, toNodeHandler } from "modellix/proxy";
import { type FakeServer, createFakeServer } from "modellix/testing";
import type { PageOutcome } from "./browser/page.js";
import type { Browser, Playwright } from "./browser/playwright.js";
import { ensureDist } from "./dist-build.js";
import { secretKey } from "./helpers.js";
import { type Availability, importOptional, requireOptional } from "./optional-packages.js";

const chromiumPath = "/usr/bin/chromium";
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>modellix in a browser</title>
<style>body{font:16px system-ui;margin:24px} img{width:256px;height:256px;image-rendering:pixelated;border:1px solid #888}</style></head>
<body><h1>modellix: text to image through the proxy</h1><p id="status">loading…</p><div id="result"></div>
<script type="module" src="/assets/test/browser/page.js"></script></body></html>`;

/** The page's files by URL path, and which of them are chunks the SDK imports on demand (by the dist file they come from). */
interface Bundle {
  files: Map<string, string>;
  lazyChunks: Map<string, string>;
}

/**
 * Bundles test/browser/page.ts for the browser from the built package, with code
 * splitting: the chunks `dist/index.js` imports dynamically stay separate files.
 * A Node-only import anywhere in the build would fail here.
 */
async function bundlePage(dist: string): Promise<Bundle> {
  const outdir = root("test-output/browser-assets");
  const result = await build({
    entryPoints: [root("test/browser/page.ts")],
    outbase: root(""),
    outdir,
    bundle: true,
    splitting: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    alias: { modellix: join(dist, "index.js") },
    tsconfigRaw: {}, // not the repository's paths, which point `modellix` at the sources
    logLevel: "silent",
  });
  const urlOf = (path: string) => `/assets/${relative(outdir, path).split("\\").join("/")}`;
  const files = new Map(result.outputFiles.map((file) => [urlOf(file.path), file.text]));
  const lazyChunks = new Map<string, string>();
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (output.entryPoint?.startsWith("dist/")) lazyChunks.set(urlOf(root(path)), output.entryPoint);
  }
  return { files, lazyChunks };
}

/** One origin on 127.0.0.1 serving the page, its scripts and the proxy at /api/modellix. */
async function servePage(bundle: Bundle, upstream: string): Promise<{ server: Server; origin: string }> {
  const proxy = toNodeHandler(createProxy({ apiKey: secretKey, baseURL: upstream }));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path.startsWith("/api/modellix/")) return void proxy(req, res);
    const script = bundle.files.get(path);
    if (script !== undefined) return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    if (path === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** playwright-core drives Debian's Chromium: both must be there (playwright-core is not a devDependency). */
const playwright = await importOptional<Playwright>("playwright-core");
const ready: Availability = !existsSync(chromiumPath)
  ? { ok: false, reason: `${chromiumPath} is missing (apt-get install -y chromium)` }
  : playwright.ok
    ? { ok: true }
    : playwright;

// Skipped, saying why, on a machine without Chromium or playwright-core; in CI, where it must run, it fails instead.
describe("in a real browser (Chromium)", () => {
  let fake: FakeServer;
  let bundle: Bundle;
  let page: { server: Server; origin: string };
  let browser: Browser;

  beforeAll(async () => {
    if (!ready.ok || !playwright.ok) return;
    bundle = await bundlePage(await ensureDist());
    fake = await createFakeServer({ apiKeys: [secretKey], pendingMs: 200, durationMs: 500 });
    page = await servePage(bundle, fake.url);
    browser = await playwright.module.chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (page) await new Promise((resolve) => page.server.close(resolve));
    await fake?.close();
  });

  it("the built package submits, waits and throws typed errors through the proxy, with no key in the page and its checks loaded on demand", async (context) => {
    requireOptional(context, "The browser test", ready);
    const tab = await browser.newPage({ viewport: { width: 640, height: 420 } });
    const pageErrors: string[] = [];
    tab.on("pageerror", (error) => pageErrors.push(error.message));
    const requested: string[] = [];
    const sentHeaders: Record<string, string>[] = [];
    const answers: Promise<string>[] = [];
    tab.on("request", (request) => {
      requested.push(new URL(request.url()).pathname);
      sentHeaders.push(request.headers());
    });
    tab.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/api/modellix/")) answers.push(response.text().catch(() => ""));
    });

    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() => window.ready === true, undefined, { timeout: 15_000 });
    // Loaded and ready, nothing submitted: no chunk the SDK imports on demand has been fetched.
    expect(bundle.lazyChunks.size).toBeGreaterThanOrEqual(1);
    const [validationChunk] = [...bundle.lazyChunks].find(([, source]) => /(^|\/)prepare-[^/]*\.js$/.test(source)) ?? [];
    expect(validationChunk, `a chunk from dist/prepare-*.js among ${[...bundle.lazyChunks.values()].join(", ")}`).toBeDefined();
    expect(requested.filter((path) => bundle.lazyChunks.has(path))).toEqual([]);

    await tab.evaluate(() => window.start?.());
    await tab.waitForFunction(() => window.outcome !== undefined || window.failure !== undefined, undefined, { timeout: 20_000 });
    expect(await tab.evaluate(() => window.failure)).toBeUndefined();
    const outcome = (await tab.evaluate(() => window.outcome)) as PageOutcome;

    // The first submit (t2i) fetched the validation chunk, then the t2i family's catalog data; the task it
    // created read its answers with the task reader (src/lazy-chunks.ts lists where it loads from); the unknown
    // model later fetched every other family's data that has a chunk of its own (it could have been one of another
    // namespace); the suggestions for its 404 came with the validation chunk. Each chunk once; the batch,
    // journal, upload, occasional-reads and webhook-receiver chunks were never needed.
    const familyChunk = (family: string) => [...bundle.lazyChunks].find(([, source]) => new RegExp(`(^|/)${family}-[^/]*\\.js$`).test(source))?.[0];
    expect(familyChunk("t2i"), `a chunk for the t2i family among ${[...bundle.lazyChunks.values()].join(", ")}`).toBeDefined();
    const fetched = requested.filter((path) => bundle.lazyChunks.has(path));
    const unneeded = /(^|\/)(batch|batch-journal|uploads|reads|webhook-receiver)-[^/]*\.js$/;
    expect(fetched.slice(0, 2)).toEqual([validationChunk, familyChunk("t2i")]);
    expect([...fetched].sort()).toEqual([...bundle.lazyChunks].filter(([, source]) => !unneeded.test(source)).map(([path]) => path).sort());

    // Submit and wait, through the proxy.
    expect(outcome.keyRefused).toMatch(/API key in a browser .*dangerouslyAllowBrowser: true/);
    expect(outcome.keyAllowedWithFlag).toBe(true);
    expect(outcome.baseURL).toBe(`${page.origin}/api/modellix`);
    expect(outcome.taskId).toMatch(/^task-/);
    expect(outcome.model).toBe("bytedance/seedream-4.5-t2i");
    expect(outcome.statuses[0]).toBe("pending"); // the submit's own answer, before any poll
    expect(outcome.statuses.at(-1)).toBe("success");
    expect(outcome.imageURL).toBe(`${fake.origin}/files/${outcome.taskId}/0.png`);
    expect(outcome.imageWidth).toBe(1);
    await expect(tab.locator("#result img").isVisible()).resolves.toBe(true);
    expect(await tab.locator("#status").textContent()).toBe(`task ${outcome.taskId}: done`);

    // Typed errors, recognised by instanceof in the page.
    expect(outcome.invalid).toMatchObject({ name: "ValidationError", typed: true });
    expect(outcome.invalid.message).toContain("sequential_image_generation_max_images");
    expect(outcome.localPath).toMatchObject({ name: "ValidationError", typed: true });
    expect(outcome.localPath.message).toBe(
      'Invalid i2i input: image.0: must be a URL (https://, http:// or data:) or a file (Blob, ArrayBuffer, typed array or ReadableStream) (got "./street.png")',
    );
    expect(outcome.failed).toMatchObject({ name: "TaskFailedError", typed: true, taskId: expect.stringMatching(/^task-/) });
    expect(outcome.failed.message).toContain("Content Policy");
    expect(outcome.unknownModel).toMatchObject({ name: "NotFoundError", typed: true });
    expect(pageErrors).toEqual([]);

    // The real API paths reached the fake: three submits (the invalid input sent nothing), then task reads.
    const calls = fake.fake.requests.filter((request) => request.route !== "file");
    expect(calls.filter((request) => request.route === "submit").map((request) => request.path)).toEqual([
      "/api/v1/bytedance/seedream-4.5-t2i",
      "/api/v1/bytedance/seedream-4.5-t2i",
      "/api/v1/acme/no-such-model",
    ]);
    expect(calls.every((request) => request.route === "submit" || request.route === "task")).toBe(true);

    // No key in the page: none in what it loaded, sent or received. The fake accepts only the
    // server's key, and every call carried it: the proxy added it.
    const pageText = [html, ...bundle.files.values(), await tab.content(), ...(await Promise.all(answers))].join("\n");
    expect(pageText).not.toContain(secretKey);
    expect(sentHeaders.every((headers) => headers.authorization === undefined)).toBe(true);
    expect(calls.every((request) => request.headers.authorization === "Bearer ***" && request.status !== 401)).toBe(true);

    await mkdir(root("test-output"), { recursive: true });
    await tab.screenshot({ path: root("test-output/browser.png") });
  });
});
