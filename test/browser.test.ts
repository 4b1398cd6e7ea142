import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, toNodeHandler } from "modellix/proxy";
import { type FakeServer, createFakeServer } from "modellix/testing";
import type { PageOutcome } from "./browser/page.js";
import { secretKey } from "./helpers.js";

const chromiumPath = "/usr/bin/chromium";
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>modellix in a browser</title>
<style>body{font:16px system-ui;margin:24px} img{width:256px;height:256px;image-rendering:pixelated;border:1px solid #888}</style></head>
<body><h1>modellix: text to image through the proxy</h1><p id="status">loading…</p><div id="result"></div>
<script type="module" src="/page.js"></script></body></html>`;

/** Bundles test/browser/page.ts for the browser: a Node-only import in the SDK would fail here. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [root("test/browser/page.ts")],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    alias: { modellix: root("src/index.ts") },
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** One origin on 127.0.0.1 serving the page, its script and the proxy at /api/modellix. */
async function servePage(script: string, upstream: string): Promise<{ server: Server; origin: string }> {
  const proxy = toNodeHandler(createProxy({ apiKey: secretKey, baseURL: upstream }));
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/api/modellix/")) return void proxy(req, res);
    const [type, body] = req.url === "/page.js" ? ["text/javascript", script] : req.url === "/" ? ["text/html", html] : ["text/plain", "not found"];
    res.writeHead(body === "not found" ? 404 : 200, { "content-type": `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// Skipped on a machine without Chromium, except in CI, where it must run (and fails when Chromium is missing).
describe.skipIf(!existsSync(chromiumPath) && process.env.CI !== "true")("in a real browser (Chromium)", () => {
  let fake: FakeServer;
  let page: { server: Server; origin: string };
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`).toBe(true);
    fake = await createFakeServer({ apiKeys: [secretKey], pendingMs: 200, durationMs: 500 });
    page = await servePage(await bundlePage(), fake.url);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (page) await new Promise((resolve) => page.server.close(resolve));
    await fake?.close();
  });

  it("submits a t2i task through the proxy with no key in the page, and shows the image", async () => {
    const tab = await browser.newPage({ viewport: { width: 640, height: 420 } });
    const pageErrors: string[] = [];
    tab.on("pageerror", (error) => pageErrors.push(error.message));
    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() => window.outcome !== undefined || window.failure !== undefined, undefined, { timeout: 15_000 });
    expect(await tab.evaluate(() => window.failure)).toBeUndefined();
    const outcome = (await tab.evaluate(() => window.outcome)) as PageOutcome;

    expect(outcome.keyRefused).toMatch(/API key in a browser .*dangerouslyAllowBrowser: true/);
    expect(outcome.keyAllowedWithFlag).toBe(true);
    expect(outcome.baseURL).toBe(`${page.origin}/api/modellix`);
    expect(outcome.taskId).toMatch(/^task-/);
    expect(outcome.statuses.at(-1)).toBe("success");
    expect(outcome.imageURL).toBe(`${fake.origin}/files/${outcome.taskId}/0.png`);
    expect(outcome.imageWidth).toBe(1);
    await expect(tab.locator("#result img").isVisible()).resolves.toBe(true);
    expect(await tab.locator("#status").textContent()).toBe(`task ${outcome.taskId}: done`);
    expect(pageErrors).toEqual([]);

    // The fake accepts only the server's key: the proxy added it; the page never sent one.
    const calls = fake.fake.requests.filter((request) => !request.path.startsWith("/files/"));
    expect(calls.map((request) => request.method)).toEqual(["POST", ...calls.slice(1).map(() => "GET")]);
    expect(calls.every((request) => request.status === 200 && request.headers.authorization === "Bearer ***")).toBe(true);

    await mkdir(root("test-output"), { recursive: true });
    await tab.screenshot({ path: root("test-output/browser.png") });
  });
});
