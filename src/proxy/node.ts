import { errorResponse } from "./responses.js";
import type { ProxyHandler } from "./create-proxy.js";

/** The parts of Node's `IncomingMessage` (or Express's `req`) that {@link toNodeHandler} reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  /** Express's full URL, before a mount path was stripped from `url`. */
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The connection: a TLS socket (`encrypted: true`, under `https.createServer`) makes the request's URL https. */
  socket?: object | undefined;
}

/** The parts of Node's `ServerResponse` (or Express's `res`) that {@link toNodeHandler} writes. */
export interface NodeResponseLike {
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: Uint8Array): unknown;
  on(event: "close", listener: () => void): unknown;
}

/**
 * Runs a fetch-standard handler (such as {@link createProxy}'s) in Node's
 * `http.createServer` or as Express middleware. Mount it before any body
 * parser: `app.use("/api/modellix", toNodeHandler(createProxy()))`.
 * It uses no Node module, so the `modellix/proxy` entry still loads on edge runtimes.
 */
export function toNodeHandler(handler: ProxyHandler): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const disconnected = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) disconnected.abort();
    });
    let response: Response;
    try {
      response = await handler(toRequest(req, disconnected.signal));
    } catch {
      response = errorResponse(400, "Bad Request: the request could not be read");
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = new Uint8Array(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, "content-length": String(body.byteLength) });
    res.end(body);
  };
}

/**
 * A `Request` for a Node request, addressed to its `Host` (which the proxy
 * compares with the `Origin` header); HTTP/2 pseudo-headers are left out.
 */
function toRequest(req: NodeRequestLike, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":")) continue;
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const authority = req.headers.host ?? req.headers[":authority"];
  const host = typeof authority === "string" && authority !== "" ? authority : "localhost";
  const scheme = (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true ? "https" : "http";
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const init = { method, headers, signal, ...(hasBody ? { body: streamOf(req), duplex: "half" } : {}) };
  const path = req.originalUrl ?? req.url ?? "/";
  // Concatenated, never resolved: a request-target such as `//evil.example/...` stays a path on this host.
  return new Request(`${scheme}://${host}${path.startsWith("/") ? path : `/${path}`}`, init);
}

/** A web stream over a Node readable, pulled only as fast as the proxy reads (so the size limit holds). */
function streamOf(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
