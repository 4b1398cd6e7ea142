import { isLocalHost } from "../core/base-url.js";
import { taskData } from "./task-view.js";
import { type FakeTaskStatus, type TaskRecord, statusAt } from "./tasks.js";

/** The events the API posts to a task's webhook URL when the task ends. */
export type FakeWebhookEvent = "prediction.task.succeeded" | "prediction.task.failed" | "prediction.task.canceled";

/** One POST the fake made to a webhook URL, as {@link FakeModellix.webhookDeliveries} lists it. */
export interface FakeWebhookAttempt {
  /** `X-Modellix-Task-ID`. */
  readonly taskId: string;
  /** `X-Modellix-Delivery-ID`: the same for every attempt of one delivery. */
  readonly deliveryId: string;
  /** `X-Modellix-Retry-Count`: 0 for the first attempt. */
  readonly retryCount: number;
  readonly event: FakeWebhookEvent;
  /** The task's `X-Webhook-URL`. */
  readonly url: string;
  /** When it was sent, on the fake's clock (ms). */
  readonly at: number;
  /** The receiver's HTTP status; undefined when the POST failed at the network or was not sent. */
  readonly status: number | undefined;
  /** Why the POST failed or was not sent. */
  readonly error: string | undefined;
  /**
   * What came of it: `acknowledged` (a 2xx), `retry` (429, 5xx or a network error: sent
   * again after a backoff), `gave-up` (another status, a URL the fake does not post to,
   * or the last attempt failed).
   */
  readonly result: "acknowledged" | "retry" | "gave-up";
}

/** Where and how the fake posts: the `fetch` to use (a custom one may take any URL), and the task view's time unit. */
export interface DeliveryTarget {
  fetch: typeof fetch | undefined;
  timeUnit: "ms" | "s" | "iso";
  /** Extra times an acknowledged delivery is sent again. */
  repeats: number;
}

/** Attempts per delivery before the fake gives up. */
export const WEBHOOK_ATTEMPTS = 5;
/** The wait before the first retry (ms); each retry waits twice as long as the one before. */
const firstRetryMs = 1000;
/** How long one POST may take before it counts as a network error (real time). */
const attemptTimeoutMs = 10_000;

const events: Record<Exclude<FakeTaskStatus, "pending" | "processing">, FakeWebhookEvent> = {
  success: "prediction.task.succeeded",
  failed: "prediction.task.failed",
  canceled: "prediction.task.canceled",
};

/** A task's delivery: where it goes and how far it got. */
interface Delivery {
  task: TaskRecord;
  url: string;
  /** The API origin the task was submitted to: its resource URLs in the body. */
  origin: string;
  deliveryId: string;
  attempts: number;
  nextAt: number;
  sending: boolean;
  done: boolean;
}

/**
 * The webhook deliveries of the tasks submitted with `X-Webhook-URL`. Nothing
 * runs by itself: {@link WebhookOutbox.deliver} posts every delivery due at a
 * given time on the fake's clock (a task that has ended, or a retry whose
 * backoff has passed), so deliveries follow the clock as task states do.
 */
export class WebhookOutbox {
  #deliveries: Delivery[] = [];
  #log: FakeWebhookAttempt[] = [];
  #count = 0;

  /** Records that `task` is to be delivered to `url` when it ends. */
  add(task: TaskRecord, url: string, origin: string): void {
    const deliveryId = `delivery-${++this.#count}-${Math.random().toString(36).slice(2, 8)}`;
    this.#deliveries.push({ task, url, origin, deliveryId, attempts: 0, nextAt: task.finishedAt, sending: false, done: false });
  }

  /** Every attempt made, oldest first. */
  get log(): readonly FakeWebhookAttempt[] {
    return this.#log;
  }

  /** Posts every delivery due at `now` (each one's attempts in turn, the deliveries side by side); resolves with the attempts made. */
  async deliver(now: number, target: DeliveryTarget): Promise<FakeWebhookAttempt[]> {
    const due = this.#deliveries.filter((delivery) => !delivery.done && !delivery.sending && now >= delivery.nextAt);
    const made = await Promise.all(due.map((delivery) => this.#send(delivery, now, target)));
    this.#deliveries = this.#deliveries.filter((delivery) => !delivery.done);
    return made.flat();
  }

  /** Forgets every delivery and attempt. */
  clear(): void {
    this.#deliveries = [];
    this.#log = [];
  }

  /** One attempt, and after an acknowledgement the repeats asked for. */
  async #send(delivery: Delivery, now: number, target: DeliveryTarget): Promise<FakeWebhookAttempt[]> {
    delivery.sending = true;
    try {
      const made = [await this.#attempt(delivery, now, target)];
      if (made[0]?.result === "acknowledged") for (let i = 0; i < target.repeats; i++) made.push(await this.#attempt(delivery, now, target));
      return made;
    } finally {
      delivery.sending = false;
    }
  }

  async #attempt(delivery: Delivery, now: number, target: DeliveryTarget): Promise<FakeWebhookAttempt> {
    const { task, url, origin, deliveryId } = delivery;
    const event = events[statusAt(task, now) as keyof typeof events]; // due only once the task has ended
    const retryCount = delivery.attempts++;
    const { status: answered, error } = await post(url, target, {
      "content-type": "application/json",
      "x-modellix-task-id": task.id,
      "x-modellix-delivery-id": deliveryId,
      "x-modellix-retry-count": String(retryCount),
    }, JSON.stringify({ event, data: taskData(task, now, origin, target.timeUnit) }));
    const retryable = answered === undefined ? error !== notLocal : answered === 429 || answered >= 500;
    const acknowledged = answered !== undefined && answered >= 200 && answered < 300;
    const result = acknowledged ? "acknowledged" : retryable && delivery.attempts < WEBHOOK_ATTEMPTS ? "retry" : "gave-up";
    delivery.done = result !== "retry";
    delivery.nextAt = now + firstRetryMs * 2 ** retryCount;
    const attempt: FakeWebhookAttempt = { taskId: task.id, deliveryId, retryCount, event, url, at: now, status: answered, error, result };
    this.#log.push(attempt);
    return attempt;
  }
}

const notLocal = "not a localhost URL: without the webhookFetch option the fake posts only to localhost";

/** One POST: the receiver's status, or why there is none. The answer's body is not read. */
async function post(url: string, target: DeliveryTarget, headers: Record<string, string>, body: string): Promise<{ status?: number; error?: string }> {
  if (target.fetch === undefined && !isLocalHost(new URL(url).hostname)) return { error: notLocal };
  try {
    const send = target.fetch ?? globalThis.fetch;
    const response = await send(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(attemptTimeoutMs) });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
