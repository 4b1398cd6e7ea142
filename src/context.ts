import type { LevelledLogger } from "./core/logger.js";
import type { TaskQueue } from "./core/quota.js";
import type { Transport } from "./core/transport.js";
import type { Pollers } from "./poller.js";

/**
 * What the client shares with its resources and tasks: the transport, the
 * team-quota queue, the pollers (one per task id) and the waiting defaults.
 */
export interface ClientContext {
  transport: Transport;
  queue: TaskQueue;
  pollers: Pollers;
  logger: LevelledLogger;
  /** Default `wait()` timeouts by namespace, in ms (client option `waitTimeouts`). */
  waitTimeouts: Partial<Record<string, number>>;
  /** Overrides {@link quotaHoldFor}'s defaults (client option `quotaHoldMs`). */
  quotaHoldMs?: number | undefined;
  /** The checked `X-Webhook-URL` of every submit (client option `webhookUrl`). */
  webhookUrl?: string | undefined;
}

const imageTypes: ReadonlySet<string> = new Set(["t2i", "i2i", "expansion"]);

/** The image figure for image types, else (video, audio and unknown types) the video figure. */
function byKind(type: string | undefined, image: number, video: number): number {
  return type !== undefined && imageTypes.has(type) ? image : video;
}

/** The default `wait()` timeout of a model type: `waitTimeouts[type]`, else 3 minutes for image types and 10 for the others. */
export function waitTimeoutFor(context: Pick<ClientContext, "waitTimeouts">, type: string | undefined): number {
  const own = type !== undefined && Object.hasOwn(context.waitTimeouts, type) ? context.waitTimeouts[type] : undefined;
  return own ?? byKind(type, 180_000, 600_000);
}

/**
 * How long a quota slot stays taken when the SDK cannot tell whether its task
 * runs: `quotaHoldMs` if set, else about the longest a task of the type usually
 * takes (images 30–60 s, videos 60–120 s), so the team quota is not over-committed.
 */
export function quotaHoldFor(context: Pick<ClientContext, "quotaHoldMs">, type: string | undefined): number {
  return context.quotaHoldMs ?? byKind(type, 60_000, 120_000);
}
