import type { IncomingMessage, ServerResponse } from "node:http";
import type { Modellix } from "../client.js";
import type { WebhookOptions } from "../resources/webhooks.js";

/** Headers that describe the connection, not the delivery; a `Request` may not carry some of them. */
const connectionHeaders = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "expect"]);

/**
 * Webhook deliveries for a `node:http` server or Express: `client.webhooks.handle`
 * as a `(req, res) => void` listener. The body is never read (a delivery is only a
 * hint): it is drained, so a body parser mounted before it does no harm either.
 *
 * ```ts
 * import { createServer } from "node:http";
 * import { webhookHandler } from "modellix/node";
 * createServer(webhookHandler(client, { onTask: (task) => save(task) })).listen(3000);
 * // Express: app.post("/modellix/webhook", webhookHandler(client));
 * ```
 */
export function webhookHandler(client: Modellix, options: WebhookOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    void answer(client, req, options)
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, { ...Object.fromEntries(response.headers), "content-length": String(body.byteLength) });
        res.end(body);
      })
      .catch(() => res.destroy());
  };
}

/** The delivery as a Fetch API `Request` (headers only), answered by the client; a request no `Request` can hold gets 400. */
function answer(client: Modellix, req: IncomingMessage, options: WebhookOptions): Promise<Response> {
  let request: Request;
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || connectionHeaders.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    // The URL plays no part in the answer: a fixed one keeps the untrusted Host header and path out.
    request = new Request("http://localhost/", { method: req.method ?? "GET", headers });
  } catch {
    return Promise.resolve(Response.json({ error: "Not a webhook delivery" }, { status: 400 }));
  }
  return client.webhooks.handle(request, options);
}
