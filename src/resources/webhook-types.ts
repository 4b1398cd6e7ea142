/** The types shared by `client.webhooks` and the code behind it, loaded on first use. */
import type { TaskSnapshot } from "../core/task-data.js";
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
 * wait for the task in this process; a promise it returns is awaited before the
 * delivery is answered. If it throws or rejects, the delivery is
 * answered 500 and not remembered, so Modellix sends it again: make it
 * idempotent by task id.
 */
export type OnWebhookTask = (snapshot: TaskSnapshot, delivery: WebhookDelivery) => unknown;

/** Options of `client.webhooks` (client option `webhooks`) and of one `client.webhooks.handle()` call. */
export interface WebhookOptions {
  /**
   * Called with the task's confirmed end (`success`, `failed` or `canceled`, as
   * `GET /tasks/{id}` answered) and the delivery's headers, once per delivery;
   * a promise it returns is awaited before the delivery is answered. If it
   * throws, the delivery is answered 500 and Modellix sends it again: make it
   * idempotent by task id. A `handle()` call's own `onTask` replaces the client's.
   */
  onTask?: OnWebhookTask | undefined;
}

/** What one delivery comes to: the answer's status, JSON body and headers. @internal */
export interface WebhookOutcome {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What the code behind `client.webhooks` keeps between deliveries. @internal */
export interface WebhookState {
  context: ClientContext;
  /** The client's `onTask` (client option `webhooks`). */
  onTask: OnWebhookTask | undefined;
  /** Delivery ids (`d:`) and ended task ids (`t:`) already processed, least recently seen first. */
  seen: Set<string>;
  /** The delivery being processed for each task id: copies arriving meanwhile share its outcome. */
  processing: Map<string, Promise<WebhookOutcome>>;
}
