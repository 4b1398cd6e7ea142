import { NotFoundError } from "../core/errors.js";
import { type TaskSnapshot, isTerminal } from "../core/task-data.js";
import type { OnWebhookTask, WebhookDelivery, WebhookOutcome as Outcome, WebhookState } from "./webhook-types.js";

/** How many delivery ids and ended task ids one client remembers (the oldest are forgotten first). */
const remembered = 10_000;
/** The longest task or delivery id accepted from a header. */
const maxIdLength = 256;

/** Answers one delivery (see `Webhooks.handle`). */
export async function receive(state: WebhookState, request: Request, onTask: OnWebhookTask | undefined): Promise<Response> {
  const { status, body, headers } = await answer(state, request, onTask);
  return Response.json(body, { status, headers });
}

async function answer(state: WebhookState, request: Request, onTask: OnWebhookTask | undefined): Promise<Outcome> {
  if (request.method.toUpperCase() !== "POST") return { status: 405, body: { error: "Webhook deliveries are POSTs" }, headers: { allow: "POST" } };
  const taskId = request.headers.get("x-modellix-task-id") ?? "";
  const deliveryId = request.headers.get("x-modellix-delivery-id") ?? undefined;
  if (!isId(taskId) || (deliveryId !== undefined && !isId(deliveryId))) {
    return { status: 400, body: { error: "A delivery needs an X-Modellix-Task-ID header (and a well-formed X-Modellix-Delivery-ID, if any)" } };
  }
  if ((deliveryId !== undefined && recall(state, `d:${deliveryId}`)) || recall(state, `t:${taskId}`)) {
    return { status: 200, body: { received: true, duplicate: true } };
  }
  const retryHeader = Number.parseInt(request.headers.get("x-modellix-retry-count") ?? "", 10);
  const delivery: WebhookDelivery = { taskId, deliveryId, retryCount: Number.isSafeInteger(retryHeader) && retryHeader >= 0 ? retryHeader : undefined };
  let processing = state.processing.get(taskId);
  if (!processing) {
    processing = confirm(state, delivery, onTask).finally(() => state.processing.delete(taskId));
    state.processing.set(taskId, processing);
  }
  return processing;
}

/** Reads the task, and for an ended one calls `onTask` and remembers the delivery. */
async function confirm(state: WebhookState, delivery: WebhookDelivery, onTask: OnWebhookTask | undefined): Promise<Outcome> {
  const { taskId, deliveryId } = delivery;
  const { logger, pollers } = state.context;
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
  if (deliveryId !== undefined) remember(state, `d:${deliveryId}`);
  remember(state, `t:${taskId}`);
  logger.log("info", `webhook delivery for task ${taskId}: the task is ${snapshot.rawStatus}`, fields);
  return { status: 200, body: { received: true } };
}

/** True when `key` was processed; it becomes the most recently seen. */
function recall({ seen }: WebhookState, key: string): boolean {
  if (!seen.delete(key)) return false;
  seen.add(key);
  return true;
}

/** Remembers `key`, forgetting the least recently seen beyond {@link remembered}. */
function remember({ seen }: WebhookState, key: string): void {
  seen.delete(key);
  seen.add(key);
  if (seen.size > remembered) seen.delete(seen.values().next().value as string);
}

/** A task or delivery id as a header may carry it: 1 to 256 visible ASCII characters, not `.` or `..`. */
function isId(value: string): boolean {
  return value.length <= maxIdLength && /^[\x21-\x7e]+$/.test(value) && value !== "." && value !== "..";
}
