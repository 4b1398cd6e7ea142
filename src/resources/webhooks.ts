import { NotFoundError } from "../core/errors.js";
import { type TaskSnapshot, isTerminal } from "../core/task-data.js";
import type { ClientContext } from "../context.js";

/** What a delivery says about itself, in its headers. The task's state comes only from `GET /tasks/{id}`. */
export interface WebhookDelivery {
  /** `X-Modellix-Task-ID`: the task the delivery is about. */
  taskId: string;
  /** `X-Modellix-Delivery-ID`, when sent: the same for every retry of one delivery. */
  deliveryId: string | undefined;
  /** `X-Modellix-Retry-Count`, when sent: 0 for the first attempt. */
  retryCount: number | undefined;
}

/**
 * Called with the task's confirmed end (`success`, `failed` or `canceled`,
 * as `GET /tasks/{id}` answered) once per delivery, for an app that does not
 * wait for the task in this process. If it throws or rejects, the delivery is
 * answered 500 and not remembered, so Modellix sends it again: make it
 * idempotent by task id.
 */
export type OnWebhookTask = (snapshot: TaskSnapshot, delivery: WebhookDelivery) => void | Promise<void>;

/** Options of `client.webhooks` (client option `webhooks`) and of one {@link Webhooks.handle} call. */
export interface WebhookOptions {
  /** See {@link OnWebhookTask}. A `handle()` call's own `onTask` replaces the client's. */
  onTask?: OnWebhookTask | undefined;
}

/** How many delivery ids and ended task ids one client remembers (the oldest are forgotten first). */
const remembered = 10_000;
/** The longest task or delivery id accepted from a header. */
const maxIdLength = 256;

/** What one delivery comes to, shared by copies of it that arrive while it is processed. */
interface Outcome {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Webhook deliveries in: `client.webhooks.handle(request)` answers Modellix's
 * POSTs (`prediction.task.succeeded`, `failed`, `canceled`). A delivery is
 * only a hint: its body is never read. The task id comes from the
 * `X-Modellix-Task-ID` header, and the task is read with `GET /tasks/{id}` and
 * this client's key, through the same polling loop as every local `wait()` and
 * `updates()` on that id, which that reading wakes at once.
 */
export class Webhooks {
  readonly #context: ClientContext;
  readonly #onTask: OnWebhookTask | undefined;
  /** Delivery ids (`d:`) and ended task ids (`t:`) already processed, least recently seen first. */
  readonly #seen = new Set<string>();
  /** The delivery being processed for each task id: copies arriving meanwhile share its outcome. */
  readonly #processing = new Map<string, Promise<Outcome>>();

  /** @internal */
  constructor(context: ClientContext, options: WebhookOptions = {}) {
    this.#context = context;
    this.#onTask = options.onTask;
  }

  /**
   * Answers one webhook delivery: a Fetch API handler for Next.js route
   * handlers, Hono, Bun, Deno and edge runtimes
   * (`export const POST = (request: Request) => client.webhooks.handle(request)`;
   * `modellix/node` has `webhookHandler(client)` for `node:http` and Express).
   * Never rejects. It answers:
   * - 200 once the task is read and has ended (after `onTask`, if given), and at
   *   once, without a request, to a delivery id or an ended task already processed;
   * - 400 without a usable `X-Modellix-Task-ID` (nothing is read), 405 to a method other than POST;
   * - 404 when the task read answers 404 (an unknown or expired task: Modellix does not retry a 4xx);
   * - 503 while the task read says it has not ended (a forged or early delivery: Modellix retries it later);
   * - 502 when the task read fails, 500 when `onTask` throws: Modellix retries both.
   */
  async handle(request: Request, options: WebhookOptions = {}): Promise<Response> {
    try {
      const outcome = await this.#answer(request, options.onTask ?? this.#onTask);
      return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: { "content-type": "application/json", ...outcome.headers } });
    } catch {
      return new Response(JSON.stringify({ error: "The delivery could not be processed" }), { status: 500, headers: { "content-type": "application/json" } });
    }
  }

  async #answer(request: Request, onTask: OnWebhookTask | undefined): Promise<Outcome> {
    if (request.method.toUpperCase() !== "POST") return { status: 405, body: { error: "Webhook deliveries are POSTs" }, headers: { allow: "POST" } };
    const taskId = request.headers.get("x-modellix-task-id") ?? "";
    const deliveryId = request.headers.get("x-modellix-delivery-id") ?? undefined;
    if (!isId(taskId) || (deliveryId !== undefined && !isId(deliveryId))) {
      return { status: 400, body: { error: "A delivery needs an X-Modellix-Task-ID header (and a well-formed X-Modellix-Delivery-ID, if any)" } };
    }
    if ((deliveryId !== undefined && this.#recall(`d:${deliveryId}`)) || this.#recall(`t:${taskId}`)) {
      return { status: 200, body: { received: true, duplicate: true } };
    }
    const retryHeader = Number.parseInt(request.headers.get("x-modellix-retry-count") ?? "", 10);
    const delivery: WebhookDelivery = { taskId, deliveryId, retryCount: Number.isSafeInteger(retryHeader) && retryHeader >= 0 ? retryHeader : undefined };
    let processing = this.#processing.get(taskId);
    if (!processing) {
      processing = this.#process(delivery, onTask).finally(() => this.#processing.delete(taskId));
      this.#processing.set(taskId, processing);
    }
    return processing;
  }

  /** Reads the task, and for an ended one calls `onTask` and remembers the delivery. */
  async #process(delivery: WebhookDelivery, onTask: OnWebhookTask | undefined): Promise<Outcome> {
    const { taskId, deliveryId } = delivery;
    const { logger, pollers } = this.#context;
    const fields = { taskId, deliveryId, retryCount: delivery.retryCount };
    let snapshot: TaskSnapshot;
    try {
      // One attempt: a failed read is answered 502, and Modellix's retry of the delivery is the retry.
      snapshot = await pollers.of({ id: taskId }).read({ maxRetries: 0 });
    } catch (error) {
      if (error instanceof NotFoundError) {
        logger.log("warn", `webhook delivery for task ${taskId}: the task read answered 404 (unknown or expired task)`, fields);
        return { status: 404, body: { error: "No such task for this API key" } };
      }
      logger.log("warn", `webhook delivery for task ${taskId}: could not read the task (${String(error)}); answering 502 so that it is sent again`, fields);
      return { status: 502, body: { error: "Could not confirm the task; send the delivery again" } };
    }
    if (!isTerminal(snapshot.status)) {
      logger.log("info", `webhook delivery for task ${taskId}, which is ${snapshot.rawStatus}: answering 503 so that it is sent again`, fields);
      return { status: 503, body: { error: "The task has not ended yet; send the delivery again" }, headers: { "retry-after": "5" } };
    }
    try {
      await onTask?.(snapshot, delivery);
    } catch (error) {
      logger.log("warn", `webhook delivery for task ${taskId}: onTask threw (${String(error)}); answering 500 so that it is sent again`, fields);
      return { status: 500, body: { error: "The delivery could not be processed" } };
    }
    if (deliveryId !== undefined) this.#remember(`d:${deliveryId}`);
    this.#remember(`t:${taskId}`);
    logger.log("info", `webhook delivery for task ${taskId}: the task is ${snapshot.rawStatus}`, fields);
    return { status: 200, body: { received: true } };
  }

  /** True when `key` was processed; it becomes the most recently seen. */
  #recall(key: string): boolean {
    if (!this.#seen.delete(key)) return false;
    this.#seen.add(key);
    return true;
  }

  /** Remembers `key`, forgetting the least recently seen beyond {@link remembered}. */
  #remember(key: string): void {
    this.#seen.delete(key);
    this.#seen.add(key);
    if (this.#seen.size > remembered) this.#seen.delete(this.#seen.values().next().value as string);
  }
}

/** A task or delivery id as a header may carry it: 1 to 256 visible ASCII characters, not `.` or `..`. */
function isId(value: string): boolean {
  return value.length <= maxIdLength && /^[\x21-\x7e]+$/.test(value) && value !== "." && value !== "..";
}
