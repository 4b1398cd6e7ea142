/**
 * Serves the page (index.html, and app.ts bundled by esbuild; any bundler does) and
 * mounts the Modellix proxy at /api/modellix, so the browser never sees the API key.
 *
 *   MODELLIX_API_KEY=... npx tsx examples/browser/server.ts   then open http://127.0.0.1:3000
 *
 * PORT sets the port (0: any free one). In Express: app.use("/api/modellix", toNodeHandler(createProxy())).
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { build } from "esbuild";
import { createProxy, toNodeHandler } from "modellix/proxy";

const here = new URL(".", import.meta.url);
const proxy = toNodeHandler(createProxy()); // reads MODELLIX_API_KEY and MODELLIX_BASE_URL on the server
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
  console.log(`listening on http://127.0.0.1:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
