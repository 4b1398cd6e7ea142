import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeModellix } from "./fake-modellix.js";
import { networkFailureOf } from "./network-errors.js";
import type { FakeModellixOptions } from "./options.js";

/** Options of {@link createFakeServer}: the fake's options, or a ready fake, plus the port. */
export interface FakeServerOptions extends FakeModellixOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Serve this fake instead of creating one (the other fake options are then ignored). */
  fake?: FakeModellix;
  /**
   * How often the server calls `fake.deliverWebhooks()`, in ms of real time, so that
   * tasks submitted with an `X-Webhook-URL` are delivered soon after they end
   * (default 100; 0 for never: call it yourself).
   */
  webhookIntervalMs?: number;
}

/** A {@link FakeModellix} served over real HTTP on 127.0.0.1. */
export interface FakeServer {
  /**
   * The SDK's `baseURL` (and `MODELLIX_BASE_URL`): the origin, e.g. `http://127.0.0.1:53124`,
   * followed by the fake's `prefix` when it has one. The API answers under `{url}/api/v1`.
   */
  readonly url: string;
  /** `http://127.0.0.1:PORT`; generated files are served under `{origin}/files/`, uploaded ones under `{origin}/uploads/`. */
  readonly origin: string;
  /** The fake behind the server: inject faults, read the request log and tasks. */
  readonly fake: FakeModellix;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/** Headers that describe the connection, not the request; the `Request` must not carry them. */
const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "expect"]);

/**
 * Starts a real HTTP server (Node only) in front of a {@link FakeModellix}. The
 * `reset` faults destroy the socket; `delay` and `hang` really wait. Webhook
 * deliveries are posted on a timer (`webhookIntervalMs`). Only 127.0.0.1 is
 * listened on; nothing is ever sent off this machine.
 *
 * @example
 * ```ts
 * const server = await createFakeServer({ maxConcurrentTasks: 1 });
 * const client = new Modellix({ apiKey: "test", baseURL: server.url });
 * // ...
 * await server.close();
 * ```
 */
export async function createFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const { port = 0, fake: given, webhookIntervalMs = 100, ...fakeOptions } = options;
  const fake = given ?? new FakeModellix(fakeOptions);
  const { createServer } = await import("node:http");
  let origin = "";
  const server = createServer((req, res) => {
    serve(fake, origin, req, res).catch(() => req.socket.destroy());
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await listen(server, port);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deliveries = webhookIntervalMs > 0 ? deliverEvery(fake, webhookIntervalMs) : undefined;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}${fake.prefix}`,
    origin,
    fake,
    close: () => {
      closing ??= (deliveries?.stop() ?? Promise.resolve()).then(
        () =>
          new Promise<void>((resolve, reject) => {
            server.close((error) => (error ? reject(error) : resolve()));
            server.closeAllConnections();
          }),
      );
      return closing;
    },
  };
}

/** Calls `fake.deliverWebhooks()` every `ms` (one round at a time) until stopped; `stop()` waits for the round under way. */
function deliverEvery(fake: FakeModellix, ms: number): { stop(): Promise<void> } {
  let round: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    round = fake
      .deliverWebhooks()
      .catch(() => undefined)
      .then(() => {
        if (timer) timer = setTimeout(tick, ms).unref();
      });
  };
  timer = setTimeout(tick, ms).unref();
  return {
    stop() {
      clearTimeout(timer);
      timer = undefined;
      return round.then(() => undefined);
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Converts the request, lets the fake answer it, and writes the answer back (or drops the socket). */
async function serve(fake: FakeModellix, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const disconnected = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) disconnected.abort(new Error("client disconnected"));
  });
  const rawURL = req.url ?? "/";
  const request = await toRequest(req, `${origin}${rawURL}`, disconnected.signal);
  const response = await fake.handle(request, { rawPath: rawURL.split("?")[0] ?? "/" });
  if (networkFailureOf(response) !== undefined || res.destroyed) {
    req.socket.destroy();
    return;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

async function toRequest(req: IncomingMessage, url: string, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const chunks: Uint8Array[] = [];
  if (method !== "GET" && method !== "HEAD") for await (const chunk of req) chunks.push(chunk as Uint8Array);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  return new Request(url, { method, headers, body, signal });
}
