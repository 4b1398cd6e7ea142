/**
 * Serves the page (index.html, and app.ts bundled by esbuild; any bundler does) and
 * mounts the Modellix proxy at /api/modellix, so the browser never sees the API key.
 *
 *   npx tsx examples/browser/server.ts                      # the proxy in front of the bundled fake Modellix
 *   MODELLIX_API_KEY=... npx tsx examples/browser/server.ts # the proxy in front of the real API
 *
 * then open http://127.0.0.1:3000. PORT sets the port (0: any free one).
 * In Express: app.use("/api/modellix", toNodeHandler(createProxy())).
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { build } from "esbuild";
import { createProxy, toNodeHandler } from "modellix/proxy";

const here = new URL(".", import.meta.url);
const upstream = await modellixUpstream();
// Who may spend your key: here, anyone who can reach this local server. Add authorize: (request) => isSignedIn(request) in an app.
const proxy = toNodeHandler(createProxy(upstream.options));
const bundle = await build({
  entryPoints: [new URL("app.ts", here).pathname],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "error",
});
const appJs = bundle.outputFiles[0]?.contents ?? new Uint8Array();
const indexHtml = await readFile(new URL("index.html", here));

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path.startsWith("/api/modellix/")) return void proxy(req, res);
  if (path === "/" || path === "/index.html") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(indexHtml);
  if (path === "/app.js") return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(appJs);
  res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
});

server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 3000;
  console.log(`proxying to ${upstream.label}`);
  console.log(`listening on http://127.0.0.1:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void upstream.close();
  });
}

/** The API the proxy forwards to: MODELLIX_BASE_URL (default the real API) with MODELLIX_API_KEY, else a local fake Modellix. */
async function modellixUpstream() {
  if (process.env.MODELLIX_API_KEY) {
    // createProxy() reads MODELLIX_API_KEY and MODELLIX_BASE_URL itself, on the server only.
    return { options: {}, label: process.env.MODELLIX_BASE_URL ?? "https://api.modellix.ai", close: async () => {} };
  }
  const { createFakeServer } = await import("modellix/testing");
  const fake = await createFakeServer({ apiKeys: ["fake-server-key"], pendingMs: 300, durationMs: 2000 });
  return { options: { apiKey: "fake-server-key", baseURL: fake.url }, label: `the bundled fake Modellix at ${fake.url} (no key set)`, close: () => fake.close() };
}
