import type { ClientContext } from "../context.js";
import type { WebhookOptions, WebhookState } from "./webhook-types.js";

export type { OnWebhookTask, WebhookDelivery, WebhookOptions } from "./webhook-types.js";

/**
 * Webhook deliveries in: `client.webhooks.handle(request)` answers Modellix's
 * POSTs (`prediction.task.succeeded`, `failed`, `canceled`). A delivery is
 * only a hint: its body is never read. The task id comes from the
 * `X-Modellix-Task-ID` header, and the task is read with `GET /tasks/{id}` and
 * this client's key, through the same polling loop as every local `wait()` and
 * `updates()` on that id, which that reading wakes at once. (The code behind
 * it loads on first use.)
 */
export class Webhooks {
  readonly #state: WebhookState;

  /** @internal */
  constructor(context: ClientContext, options: WebhookOptions = {}) {
    this.#state = { context, onTask: options.onTask, seen: new Set(), processing: new Map() };
  }

  /**
   * Answers one webhook delivery: a Fetch API handler for Next.js route
   * handlers, Hono, Bun, Deno and edge runtimes
   * (`export const POST = (request: Request) => client.webhooks.handle(request)`;
   * `modellix/node` has `webhookHandler(client)` for `node:http` and Express).
   * Never rejects. It answers:
   * - 200 once the task is read and has ended (after `onTask`, if given), and at
   *   once, without a request, to a delivery id or an ended task already processed
   *   (the latest 5000 are remembered);
   * - 400 without a usable `X-Modellix-Task-ID` (nothing is read), 405 to a method other than POST;
   * - 404 when the task read answers 404 (an unknown or expired task: Modellix does not retry a 4xx);
   * - 503 while the task read says it has not ended (a forged or early delivery: Modellix retries it later);
   * - 502 when the task read fails, 500 when `onTask` throws: Modellix retries both.
   */
  handle(request: Request, options: WebhookOptions = {}): Promise<Response> {
    return import("./webhook-receiver.js")
      .then(({ receive }) => receive(this.#state, request, options.onTask ?? this.#state.onTask))
      .catch(() => Response.json({ error: "The delivery could not be processed" }, { status: 500 }));
  }
}
