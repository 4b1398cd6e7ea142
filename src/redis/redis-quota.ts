import pRetry from "p-retry";
import { AbortError, ConnectionError, type ModellixError } from "../core/errors.js";
import type { QuotaCoordinator, ReleaseOptions } from "../core/quota.js";
import { abortErrorFrom } from "../core/sleep.js";
import { QuotaAcquireTimeoutError, QuotaLeaseLostError } from "./errors.js";
import { quotaKeys } from "./keys.js";
import type { LuaScript, RedisConnection } from "./lua.js";
import { LeaseRenewal, acquireScript, keepAliveScript, releaseScript } from "./scripts.js";

/** Options of {@link RedisQuota}. */
export interface RedisQuotaOptions {
  /**
   * An ioredis client: `new Redis(...)` (a server or Sentinel set) or `new Cluster(...)`.
   * It stays yours: {@link RedisQuota.close} does not close it.
   */
  redis: RedisConnection;
  /** The team's quota of concurrent tasks (default 3). Every process sharing `key` must use the same number. */
  slots?: number | undefined;
  /**
   * Names the team's quota in Redis (default `"modellix:quota"`); use one per team,
   * e.g. `"modellix:quota:my-team"`. The keys and the channel are `{<key>}:leases`
   * and `{<key>}:released`: the hash tag keeps them in one Redis Cluster slot.
   */
  key?: string | undefined;
  /**
   * How long a lease lasts without being kept alive, in ms (default 60000). This
   * process keeps its leases alive every `leaseMs / 3` (and on every poll of the
   * slot's task, through {@link RedisQuota.renew}); the slots of a process that
   * crashed come back after at most `leaseMs`. Set it to about your longest
   * task: a crashed process's task still runs (and counts) at the server for that long.
   */
  leaseMs?: number | undefined;
  /**
   * Longest wait between two tries while waiting for a slot, in ms (default 1000,
   * ±20 % jitter). A released slot wakes waiters at once through pub/sub; the
   * tries only catch leases that ended because their process died. Also the
   * longest wait between two tries of a release that failed (Redis down).
   */
  maxPollMs?: number | undefined;
  /**
   * Longest a submit waits for a slot, in ms (default: no limit). Past it the
   * submit rejects with {@link QuotaAcquireTimeoutError} and sends nothing.
   * A submit's `signal` stops the wait too.
   */
  acquireTimeoutMs?: number | undefined;
  /**
   * Called with what goes wrong in the background: a keep-alive that failed
   * (`ConnectionError`), leases that had been lost and could only be taken back
   * above the quota ({@link QuotaLeaseLostError}), a lease that could not be given
   * back. Default: `console.warn`. (Failures of a call, such as `renew()` or
   * `release()`, reject that call instead.)
   */
  onError?: ((error: ModellixError) => void) | undefined;
}

interface Waiter {
  member: string;
  resolve(): void;
  reject(error: Error): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * The team quota shared through Redis, for several processes or machines:
 * `new Modellix({ quota: new RedisQuota({ redis }) })` in each of them. Slots
 * are leases in one sorted set, taken, kept alive and given back by atomic Lua
 * scripts (sent by SHA1). Waiting submits are woken through pub/sub when a slot
 * is released, with a modest, jittered poll as a fallback; they never busy-poll
 * Redis. A lease lost while its task still runs (a long stall, `FLUSHALL`, a
 * restart without data) is taken back on the next keep-alive, so the team does
 * not go over its quota; if other processes took its slot meanwhile, it is
 * taken back above the quota and reported ({@link QuotaLeaseLostError}).
 */
export class RedisQuota implements QuotaCoordinator {
  readonly #redis: RedisConnection;
  readonly #slots: number;
  readonly #leasesKey: string;
  readonly #channel: string;
  readonly #leaseMs: number;
  readonly #maxPollMs: number;
  readonly #acquireTimeoutMs: number | undefined;
  readonly #onError: (error: ModellixError) => void;
  /** Prefixes this instance's members, so slot ids of different processes never collide. */
  readonly #instance = globalThis.crypto.randomUUID();
  readonly #waiters: Waiter[] = [];
  readonly #held = new Set<string>();
  /** Members whose release Redis has not confirmed yet: still held there, and retried. */
  readonly #releasing = new Set<string>();
  /** When each lease was last confirmed (taken or kept alive), by `performance.now()`: it ends `leaseMs` later at the latest. */
  readonly #confirmedAt = new Map<string, number>();
  /** Keep-alives in flight, by member: a release waits for them, so a lost lease taken back late cannot outlive its release. */
  readonly #renewing = new Map<string, Promise<unknown>>();
  #subscriber: RedisConnection | undefined;
  #subscribed: Promise<unknown> | undefined;
  #pumping = false;
  #pumpAgain = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: RedisQuotaOptions) {
    this.#redis = options.redis;
    this.#slots = options.slots ?? 3;
    ({ leases: this.#leasesKey, channel: this.#channel } = quotaKeys(options.key ?? "modellix:quota"));
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#maxPollMs = options.maxPollMs ?? 1000;
    const acquireTimeoutMs = options.acquireTimeoutMs;
    this.#acquireTimeoutMs = acquireTimeoutMs === Number.POSITIVE_INFINITY ? undefined : acquireTimeoutMs;
    this.#onError = options.onError ?? ((error) => console.warn(`modellix: ${error.message}`));
    if (!Number.isInteger(this.#slots) || this.#slots < 1) throw new RangeError("RedisQuota: slots must be a whole number, 1 or more");
    if (!inRange(this.#leaseMs, 30)) throw new RangeError(`RedisQuota: leaseMs must be a number of ms from 30 to ${maxTimerMs}`);
    if (!inRange(this.#maxPollMs, 1)) throw new RangeError(`RedisQuota: maxPollMs must be a number of ms from 1 to ${maxTimerMs}`);
    if (this.#acquireTimeoutMs !== undefined && !inRange(this.#acquireTimeoutMs, 1)) {
      throw new RangeError(`RedisQuota: acquireTimeoutMs must be a number of ms from 1 to ${maxTimerMs}, or Infinity for no limit`);
    }
  }

  /** Slots this process holds right now, those whose release Redis has not confirmed yet included. */
  get held(): number {
    return this.#held.size + this.#releasing.size;
  }

  /** Submits of this process waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Waits for a free slot and takes it under `slotId`. Rejects with `AbortError`
   * if `signal` aborts or the quota is closed, {@link QuotaAcquireTimeoutError}
   * past `acquireTimeoutMs`, and `ConnectionError` if Redis fails.
   */
  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(new AbortError("The RedisQuota was closed."));
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        member: this.#member(slotId),
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#dropWaiter(waiter);
          reject(abortErrorFrom(signal));
        },
        timer: undefined,
      };
      const timeoutMs = this.#acquireTimeoutMs;
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.#dropWaiter(waiter);
          reject(new QuotaAcquireTimeoutError(timeoutMs));
        }, timeoutMs);
      }
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      void this.#pump();
    });
  }

  /**
   * Keeps a held slot's lease alive for another `leaseMs`; the SDK calls it on
   * every poll of the slot's task. A lease that was lost is taken back. Rejects
   * with {@link QuotaLeaseLostError} when other processes had taken every slot
   * meanwhile (the lease is held again, above the quota), and with
   * `ConnectionError` when Redis fails. Does nothing for a slot not held, or once closed.
   */
  async renew(slotId: string): Promise<void> {
    const member = this.#member(slotId);
    if (this.#closed || !this.#held.has(member)) return;
    const lost = await this.#keepAlive([member]);
    if (lost.length > 0) throw new QuotaLeaseLostError({ slotIds: [slotId], slots: this.#slots });
  }

  /**
   * Gives the slot back, at once (waking waiters) or after `options.afterMs`,
   * and resolves once Redis confirmed it. A release that fails (an outage, a
   * failover) is retried until Redis confirms it, or until its lease has ended
   * by itself (`leaseMs` after it was last kept alive): it then rejects with
   * `ConnectionError`. The slot is no longer kept alive meanwhile, and counts
   * in {@link held} until then. Does nothing for a slot not held.
   */
  async release(slotId: string, options: ReleaseOptions = {}): Promise<void> {
    const member = this.#member(slotId);
    if (!this.#held.delete(member)) return;
    if (this.#held.size === 0) this.#stopKeepAlive();
    await this.#renewing.get(member)?.catch(() => undefined);
    await this.#giveBack(member, Math.max(0, Math.round(options.afterMs ?? 0)));
  }

  /**
   * Stops waiting, keeping leases alive and retrying releases, and closes the
   * subscription. Waiting submits reject with `AbortError`; slots still held
   * come back when their leases end. The ioredis client you passed stays open.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#stopKeepAlive();
    for (const waiter of [...this.#waiters]) {
      this.#dropWaiter(waiter);
      waiter.reject(new AbortError("The RedisQuota was closed."));
    }
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#subscribed = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  #member(slotId: string): string {
    return `${this.#instance}:${slotId}`;
  }

  #slotId(member: string): string {
    return member.slice(this.#instance.length + 1);
  }

  #dropWaiter(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter);
    if (index >= 0) this.#waiters.splice(index, 1);
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    clearTimeout(waiter.timer);
  }

  /** Runs a script on the leases key. */
  #run(script: LuaScript, args: Array<string | number>): Promise<unknown> {
    return script.run(this.#redis, [this.#leasesKey], args);
  }

  /** Hands free slots to waiters in order; when none is free, sleeps until a release (pub/sub) or the next lease end. */
  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    clearTimeout(this.#retryTimer);
    try {
      await this.#subscribe();
      let waitMs = this.#maxPollMs;
      do {
        this.#pumpAgain = false;
        for (let waiter = this.#waiters[0]; waiter && !this.#closed; waiter = this.#waiters[0]) {
          const result = Number(await this.#run(acquireScript, [this.#slots, waiter.member, this.#leaseMs]));
          if (result >= 0) {
            waitMs = result;
            break;
          }
          this.#granted(waiter);
        }
      } while (this.#pumpAgain && this.#waiters.length > 0);
      if (this.#waiters.length > 0 && !this.#closed) {
        const delay = Math.min(Math.max(waitMs, 1), this.#maxPollMs) * (0.8 + 0.4 * Math.random());
        this.#retryTimer = setTimeout(() => void this.#pump(), delay);
      }
    } catch (error) {
      const failure = coordinatorError("take a slot", error, "nothing was sent to Modellix");
      for (const waiter of [...this.#waiters]) {
        this.#dropWaiter(waiter);
        waiter.reject(failure);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** A lease was taken for the head waiter: hand it over, or give it back if the waiter left (abort, timeout) meanwhile. */
  #granted(waiter: Waiter): void {
    this.#confirmedAt.set(waiter.member, performance.now());
    if (this.#waiters[0] !== waiter) {
      this.#giveBack(waiter.member, 0).catch((error: ModellixError) => this.#report(error));
      return;
    }
    this.#dropWaiter(waiter);
    this.#held.add(waiter.member);
    this.#startKeepAlive();
    waiter.resolve();
  }

  #subscribe(): Promise<unknown> {
    if (!this.#subscribed) {
      const subscriber = (this.#redis as { duplicate(): RedisConnection }).duplicate();
      subscriber.on("message", () => void this.#pump());
      // ioredis reconnects and resubscribes by itself; a waiting submit is rejected by the script call that fails.
      subscriber.on("error", () => undefined);
      this.#subscriber = subscriber;
      this.#subscribed = subscriber.subscribe(this.#channel).catch((error: unknown) => {
        this.#subscribed = undefined;
        this.#subscriber = undefined;
        subscriber.disconnect();
        throw error;
      });
    }
    return this.#subscribed;
  }

  /**
   * Runs the release script for `member` until Redis confirms it (p-retry),
   * while its lease may still be alive: a release lost in an outage would keep
   * the slot taken for the rest of its lease. Retries come at most `maxPollMs`
   * apart, so the slot is back soon after Redis is.
   */
  async #giveBack(member: string, afterMs: number): Promise<void> {
    const leaseEnd = (this.#confirmedAt.get(member) ?? performance.now()) + this.#leaseMs;
    this.#confirmedAt.delete(member);
    this.#releasing.add(member);
    try {
      await pRetry(() => this.#run(releaseScript, [member, afterMs, this.#channel]), {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: Math.min(100, this.#maxPollMs),
        maxTimeout: this.#maxPollMs,
        randomize: true,
        maxRetryTime: Math.max(0, leaseEnd - performance.now()),
        shouldRetry: () => !this.#closed,
        unref: true,
      });
    } catch (error) {
      throw coordinatorError("give back a slot", error, "its lease has ended by itself meanwhile, or ends within leaseMs");
    } finally {
      this.#releasing.delete(member);
    }
  }

  /**
   * Extends the leases of `members`, taking back lost ones (see {@link keepAliveScript}).
   * Resolves with the members that were taken back above the quota.
   */
  async #keepAlive(members: string[]): Promise<string[]> {
    const run = this.#run(keepAliveScript, [this.#slots, this.#leaseMs, ...members]).catch((error: unknown) => {
      throw coordinatorError("keep the quota leases alive", error);
    });
    for (const member of members) this.#renewing.set(member, run);
    try {
      const statuses = (await run) as number[];
      const now = performance.now();
      for (const member of members) this.#confirmedAt.set(member, now);
      return members.filter((member, i) => Number(statuses[i]) === LeaseRenewal.retakenOverQuota && this.#held.has(member));
    } finally {
      for (const member of members) if (this.#renewing.get(member) === run) this.#renewing.delete(member);
    }
  }

  #startKeepAlive(): void {
    if (this.#keepAliveTimer) return;
    this.#keepAliveTimer = setInterval(() => {
      if (this.#held.size === 0) return;
      this.#keepAlive([...this.#held]).then(
        (lost) => {
          if (lost.length > 0) this.#report(new QuotaLeaseLostError({ slotIds: lost.map((member) => this.#slotId(member)), slots: this.#slots }));
        },
        (error: ModellixError) => this.#report(error),
      );
    }, this.#leaseMs / 3);
    this.#keepAliveTimer.unref?.();
  }

  #stopKeepAlive(): void {
    clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
  }

  /** Hands a background failure to `onError`; an `onError` that throws does not stop the keep-alive. */
  #report(error: ModellixError): void {
    try {
      this.#onError(error);
    } catch {
      // The caller's handler failed; the quota carries on.
    }
  }
}

function inRange(ms: number, min: number): boolean {
  return typeof ms === "number" && ms >= min && ms <= maxTimerMs;
}

/** A Redis failure as the SDK's `ConnectionError` (`requestSent: false`: it sent nothing to Modellix), saying what failed and what follows. */
function coordinatorError(action: string, error: unknown, consequence?: string): ConnectionError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`The Redis quota coordinator could not ${action} (${reason})${consequence ? `; ${consequence}` : ""}.`, {
    requestSent: false,
    cause: error,
  });
}
