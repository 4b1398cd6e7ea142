import { ModellixError, RequestTimeoutError } from "../core/errors.js";

/**
 * No slot of the team quota came free within {@link RedisQuotaOptions.acquireTimeoutMs}.
 * The submit stopped waiting before sending anything, so nothing was created or billed.
 * A {@link RequestTimeoutError}, so code that retries timeouts later handles it too.
 */
export class QuotaAcquireTimeoutError extends RequestTimeoutError {
  constructor(timeoutMs: number) {
    super(timeoutMs);
    this.message = `No slot of the team quota came free within ${timeoutMs} ms (acquireTimeoutMs); nothing was sent to Modellix. Try again later or raise acquireTimeoutMs.`;
  }
}

/**
 * Leases of this process had ended while their tasks still ran (a stall longer
 * than `leaseMs`, a `FLUSHALL`, or Redis restarted without its data), and other
 * processes took every slot meanwhile: the team runs more tasks than its quota.
 * The leases are held again, so no submit of any process starts until enough
 * tasks end; submits already under way may meet a 429 from the server.
 */
export class QuotaLeaseLostError extends ModellixError {
  /** The slots whose leases were lost and are held again above the quota. */
  readonly slotIds: string[];
  /** The team's quota. */
  readonly slots: number;
  constructor(init: { slotIds: string[]; slots: number }) {
    const count = init.slotIds.length;
    super(
      `${count} quota lease${count === 1 ? "" : "s"} of this process had ended while the task still ran (a stall longer than leaseMs, or Redis lost its data), ` +
        `and other processes took the free slots meanwhile: the team runs over its quota of ${init.slots}. ` +
        "The leases are held again, so no new submit starts until enough tasks end.",
    );
    this.slotIds = init.slotIds;
    this.slots = init.slots;
  }
}
