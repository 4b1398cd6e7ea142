/**
 * Runs every example against the fake Modellix (`npm run examples`, and CI): each must succeed.
 *
 * - `examples/*.ts` run as scripts (`node --import tsx`), each with its own fake server whose
 *   URL and key are in MODELLIX_BASE_URL / MODELLIX_API_KEY; each must exit 0.
 * - `examples/browser/server.ts` is started (with this run's fake, then with its own), serves its
 *   page and bundle, and the SDK (with no key, as in the page) generates and edits images through its proxy.
 * - The Next.js route handler (GET, POST, DELETE) is called by the SDK through a custom `fetch`.
 * - `examples/testing/*.test.ts` run under vitest.
 *
 * A file under examples/ that none of these covers fails the run, so no example is skipped silently.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import Modellix, { PermissionDeniedError } from "modellix";
import type { ProxyHandler } from "modellix/proxy";
import { type FakeServer, createFakeServer } from "modellix/testing";
import { startVitest } from "vitest/node";

const root = process.cwd();
const apiKey = "example-key";
/** Fast tasks: done by the client's first poll (2 s after submit, with the default poll schedule). */
const fakeOptions = { apiKeys: [apiKey], pendingMs: 200, durationMs: 1000 };
const timeoutMs = 90_000;
const concurrency = 3;

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  log: string;
}

/** How each kind of example file is run; `assets` are files another example uses (not run alone). */
const runners: { match: RegExp; run?: (file: string) => Promise<string> }[] = [
  { match: /^examples\/[^/]+\.ts$/, run: runScript },
  { match: /^examples\/browser\/server\.ts$/, run: runBrowserServer },
  { match: /^examples\/browser\/(app\.ts|index\.html)$/ },
  { match: /^examples\/nextjs\/.*\/route\.ts$/, run: runRouteHandler },
  { match: /^examples\/testing\/.+\.test\.ts$/, run: runVitest },
  { match: /^examples\/testing\/.+\.ts$/ },
  { match: /\.md$/ },
];

async function main(): Promise<void> {
  const files = (await listFiles(join(root, "examples"))).map((file) => relative(root, file).split("\\").join("/")).sort();
  const unknown = files.filter((file) => !runners.some((runner) => runner.match.test(file)));
  if (unknown.length) {
    console.error(`No way to run ${unknown.join(", ")}: add it to the runners of scripts/run-examples.ts.`);
    process.exit(1);
  }
  const jobs = files.flatMap((file) => {
    const run = runners.find((runner) => runner.match.test(file))?.run;
    return run ? [{ file, run }] : [];
  });
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const outcome = await attempt(job.file, job.run);
      console.log(`${outcome.ok ? "✓" : "✗"} ${outcome.name} (${(outcome.ms / 1000).toFixed(1)} s)`);
      if (!outcome.ok) console.log(outcome.log.replace(/^/gm, "    "));
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  console.log(`${outcomes.length - failed} of ${outcomes.length} examples passed`);
  process.exit(failed ? 1 : 0);
}

async function attempt(file: string, run: (file: string) => Promise<string>): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    await run(file);
    return { name: file, ok: true, ms: Date.now() - startedAt, log: "" };
  } catch (error) {
    return { name: file, ok: false, ms: Date.now() - startedAt, log: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs `file` with a fresh fake server; resolves with its output, rejects unless it exits 0. */
async function runScript(file: string): Promise<string> {
  return withFake(async (server) => {
    const child = startExample(file, server);
    const code = await exitOf(child.process);
    if (code !== 0) throw new Error(`exited with ${code}\n${child.output()}`);
    return child.output();
  });
}

/**
 * Starts the browser example's server twice: in front of this run's fake (MODELLIX_API_KEY and
 * MODELLIX_BASE_URL set: the fake accepts only that key, so the proxy must add it) and with no key
 * (it then starts its own fake). Each time it loads the page and its bundle, and the SDK, with no
 * key as in the page, generates an image and edits an uploaded one through the proxy.
 */
async function runBrowserServer(file: string): Promise<string> {
  return withFake(async (server) => {
    const logs = [await driveBrowserServer(file, server, { PORT: "0" })];
    logs.push(await driveBrowserServer(file, server, { PORT: "0", MODELLIX_API_KEY: "", MODELLIX_BASE_URL: "" }));
    if (server.fake.countRequests({ route: "submit" }) !== 2) throw new Error("the server with a key must proxy to MODELLIX_BASE_URL");
    return logs.join("\n");
  });
}

async function driveBrowserServer(file: string, server: FakeServer, env: Record<string, string>): Promise<string> {
  const child = startExample(file, server, env);
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      child.process.stdout?.on("data", () => {
        const url = /listening on (http:\/\/\S+)/.exec(child.output())?.[1];
        if (url) resolve(url);
      });
      child.process.on("exit", (code) => reject(new Error(`exited with ${code} before listening\n${child.output()}`)));
    });
    const page = await fetch(`${origin}/`).then((response) => response.text());
    if (!page.includes('src="/app.js"')) throw new Error("the page does not load /app.js");
    const bundle = await fetch(`${origin}/app.js`).then((response) => response.text());
    if (!bundle.includes("/api/modellix") || bundle.includes(apiKey)) throw new Error("the bundle must call /api/modellix and hold no key");
    const browserLike = new Modellix({ baseURL: `${origin}/api/modellix`, pollInterval: { initialMs: 250, maxMs: 500 } });
    const image = await browserLike.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048" }).wait();
    if (!image.resources[0]?.url.endsWith(".png")) throw new Error("no image came back through the proxy");
    const picture = new File([await image.resources[0].arrayBuffer()], "lighthouse.png", { type: "image/png" });
    const edited = await browserLike.i2i.submit({ model: "bytedance/seedream-5.0-lite-edit", image: [picture], prompt: "in watercolour" }).wait();
    if (!edited.resources[0]?.url.endsWith(".png")) throw new Error("no edit of an uploaded picture came back through the proxy");
    return child.output();
  } finally {
    child.process.kill("SIGTERM");
    await exitOf(child.process);
  }
}

/** Imports the route module with the fake's URL and key in the environment and drives its GET, POST and DELETE with the SDK. */
async function runRouteHandler(file: string): Promise<string> {
  return withFake(async (server) => {
    const saved = { key: process.env.MODELLIX_API_KEY, url: process.env.MODELLIX_BASE_URL };
    Object.assign(process.env, { MODELLIX_API_KEY: apiKey, MODELLIX_BASE_URL: server.url });
    try {
      const route = (await import(pathToFileURL(join(root, file)).href)) as Record<"GET" | "POST" | "DELETE", ProxyHandler>;
      const mount = "http://localhost:3000/api/modellix";
      const clientWith = (cookie: string) =>
        new Modellix({
          baseURL: mount,
          pollInterval: { initialMs: 250, maxMs: 500 },
          fetch: async (input, init) => {
            const request = new Request(input, init);
            if (!request.url.startsWith(`${mount}/`)) return fetch(request); // generated files: straight from the fake
            const headers = new Headers(request.headers);
            if (cookie) headers.set("cookie", cookie);
            const method = request.method as keyof typeof route;
            if (!Object.hasOwn(route, method)) return new Response(null, { status: 405 });
            return route[method](new Request(request, { headers }));
          },
        });
      const signedIn = clientWith("session=abc");
      const result = await signedIn.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a fox", size: "2048x2048" }).wait();
      if (!result.resources[0]) throw new Error("no result through the route handler");
      const uploaded = await signedIn.files.upload(new Blob([await result.resources[0].arrayBuffer()], { type: "image/png" }), { filename: "fox.png" });
      if ((await signedIn.files.list()).length !== 1) throw new Error("the uploaded file is not listed through the route handler");
      await signedIn.files.delete(uploaded.fileId);
      if (server.fake.files.length !== 0) throw new Error("DELETE through the route handler did not delete the file");
      const refused = await clientWith("").t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a fox" }).catch((error: unknown) => error);
      if (!(refused instanceof PermissionDeniedError)) throw new Error("a request without a session must be refused (403)");
      return "";
    } finally {
      restoreEnv("MODELLIX_API_KEY", saved.key);
      restoreEnv("MODELLIX_BASE_URL", saved.url);
    }
  });
}

/** Runs one test file of the examples under vitest (the repository's config, this file only, no JSON report). */
async function runVitest(file: string): Promise<string> {
  const vitest = await startVitest("test", [], { watch: false, include: [file], reporters: ["dot"] });
  const failed = vitest.state.getCountOfFailedTests() + vitest.state.getUnhandledErrors().length;
  const files = vitest.state.getFiles().length;
  await vitest.close();
  if (failed || files !== 1) throw new Error(`${failed} failed test(s) or error(s) in ${file}`);
  return "";
}

async function withFake<T>(body: (server: FakeServer) => Promise<T>): Promise<T> {
  const server = await createFakeServer(fakeOptions);
  try {
    return await withTimeout(body(server));
  } finally {
    await server.close();
  }
}

/** Runs `file` with the fake's key and URL in MODELLIX_API_KEY / MODELLIX_BASE_URL; `env` adds variables, or unsets them with "". */
function startExample(file: string, server: FakeServer, env: Record<string, string> = {}): { process: ChildProcess; output: () => string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MODELLIX_API_KEY: apiKey, MODELLIX_BASE_URL: server.url, ...env };
  for (const name of ["MODELLIX_LOG", ...Object.keys(env).filter((name) => env[name] === "")]) delete childEnv[name];
  const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return nested.flat();
}

await main();
