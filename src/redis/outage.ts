import type { RedisConnection } from "./lua.js";

/**
 * Redis answers that say "not now" rather than "never": loading its data after
 * a restart, a busy script, a Cluster failing over or resharding. A submit
 * waiting for a slot waits through them as through a lost connection.
 */
const transientReplies = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS)\b/;

/** Thrown when Redis has not answered for the whole outage allowance. */
class OutageTooLong extends Error {}

/**
 * How long the waiting submits of one {@link RedisQuota} have gone without
 * Redis, and whether they keep waiting: through a lost connection or a
 * transient answer for up to `limitMs` (`maxOutageMs`), counted from the first
 * failure or from the send of a command that never answered, whichever ioredis
 * does (ioredis 5 fails a command after 20 reconnects, about 10 s; ioredis 6
 * after about 70 s; with `maxRetriesPerRequest: 0` at once).
 */
export class OutageClock {
  #since: number | undefined;

  constructor(
    /** The longest outage waited through, in ms (`Infinity`: until Redis is back). */
    readonly limitMs: number,
  ) {}

  /** Redis answered: the outage, if any, is over. */
  over(): void {
    this.#since = undefined;
  }

  /** `call`, or a rejection once the outage (or this call's silence) has lasted `limitMs`. */
  async bound<T>(call: Promise<T>): Promise<T> {
    if (this.limitMs === 0 || this.limitMs === Number.POSITIVE_INFINITY) return call;
    const leftMs = (this.#since ?? performance.now()) + this.limitMs - performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutageTooLong(`Redis did not answer within ${this.limitMs} ms (maxOutageMs)`)), Math.max(0, leftMs));
    });
    try {
      return await Promise.race([call, tooLong]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `error` as the reason the waiting submits fail: with how long Redis had been failing, when that is why. */
  describe(error: unknown): Error {
    const cause = error instanceof Error ? error : new Error(String(error));
    if (this.#since === undefined || error instanceof OutageTooLong) return cause;
    const failingMs = Math.round(performance.now() - this.#since);
    if (failingMs < this.limitMs) return cause;
    return new Error(`${cause.message}; Redis has failed for ${failingMs} ms, past maxOutageMs`, { cause });
  }

  /**
   * After `error`: true to try again later. False for an answer that will not
   * change (a script error, a wrong key type), a connection that has given up
   * reconnecting (`status` "end"), or an outage longer than `limitMs`.
   */
  waitThrough(error: unknown, redis: RedisConnection): boolean {
    if (error instanceof OutageTooLong || redis.status === "end") return false;
    if (error instanceof Error && error.name === "ReplyError" && !transientReplies.test(error.message)) return false;
    this.#since ??= performance.now();
    return performance.now() - this.#since < this.limitMs;
  }
}
