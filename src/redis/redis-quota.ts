import type { Redis } from "ioredis";
import { AbortError, ConnectionError } from "../core/errors.js";
import type { QuotaCoordinator, ReleaseOptions } from "../core/limiter.js";
import { abortErrorFrom } from "../core/sleep.js";
import { acquireScript, keepAliveScript, releaseScript } from "./scripts.js";

/** Options of {@link RedisQuota}. */
export interface RedisQuotaOptions {
  /** An ioredis client. It stays yours: {@link RedisQuota.close} does not close it. */
  redis: Redis;
  /** The team's quota of concurrent tasks (default 3). Every process sharing `key` must use the same number. */
  slots?: number | undefined;
  /** Prefix of the Redis keys, one per team (default `"modellix:quota"`). */
  key?: string | undefined;
  /**
   * How long a lease lasts without being kept alive, in ms (default 60000). This
   * process keeps its leases alive every `leaseMs / 3`; the slots of a process
   * that crashed come back after at most `leaseMs`. Set it to about your longest
   * task: a crashed process's task still runs (and counts) at the server for that long.
   */
  leaseMs?: number | undefined;
  /**
   * Longest wait between two tries while waiting for a slot, in ms (default 1000,
   * ±20 % jitter). A released slot wakes waiters at once through pub/sub; the
   * tries only catch leases that ended because their process died.
   */
  maxPollMs?: number | undefined;
}

interface Waiter {
  member: string;
  resolve(): void;
  reject(error: Error): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

/**
 * The team quota shared through Redis, for several processes or machines:
 * `new Modellix({ quota: new RedisQuota({ redis }) })` in each of them. Slots
 * are leases in one sorted set, taken and given back by atomic Lua scripts.
 * Waiting submits are woken through pub/sub when a slot is released, with a
 * modest, jittered poll as a fallback; they never busy-poll Redis.
 */
export class RedisQuota implements QuotaCoordinator {
  readonly #redis: Redis;
  readonly #slots: number;
  readonly #leasesKey: string;
  readonly #channel: string;
  readonly #leaseMs: number;
  readonly #maxPollMs: number;
  /** Prefixes this instance's members, so slot ids of different processes never collide. */
  readonly #instance = globalThis.crypto.randomUUID();
  readonly #waiters: Waiter[] = [];
  readonly #held = new Set<string>();
  #subscriber: Redis | undefined;
  #subscribed: Promise<unknown> | undefined;
  #pumping = false;
  #pumpAgain = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: RedisQuotaOptions) {
    this.#redis = options.redis;
    this.#slots = options.slots ?? 3;
    const key = options.key ?? "modellix:quota";
    this.#leasesKey = `${key}:leases`;
    this.#channel = `${key}:released`;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#maxPollMs = options.maxPollMs ?? 1000;
    if (!Number.isInteger(this.#slots) || this.#slots < 1) throw new RangeError("RedisQuota: slots must be a whole number, 1 or more");
    if (!(this.#leaseMs >= 30) || !(this.#maxPollMs >= 1)) throw new RangeError("RedisQuota: leaseMs must be ≥ 30 and maxPollMs ≥ 1");
  }

  /** Slots this process holds right now. */
  get held(): number {
    return this.#held.size;
  }

  /** Submits of this process waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

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
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      void this.#pump();
    });
  }

  async release(slotId: string, options: ReleaseOptions = {}): Promise<void> {
    const member = this.#member(slotId);
    if (!this.#held.delete(member)) return;
    if (this.#held.size === 0) this.#stopKeepAlive();
    await this.#redis.eval(releaseScript, 2, this.#leasesKey, this.#channel, member, Math.max(0, Math.round(options.afterMs ?? 0)));
  }

  /**
   * Stops waiting and keeping leases alive, and closes the subscription. Waiting
   * submits reject with `AbortError`; slots still held come back when their
   * leases end. The ioredis client you passed stays open.
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

  #dropWaiter(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter);
    if (index >= 0) this.#waiters.splice(index, 1);
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
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
          const result = Number(await this.#redis.eval(acquireScript, 1, this.#leasesKey, this.#slots, waiter.member, this.#leaseMs));
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
      const failure = new ConnectionError(`The Redis quota coordinator failed (${error instanceof Error ? error.message : String(error)}); nothing was sent to Modellix.`, {
        requestSent: false,
        cause: error,
      });
      for (const waiter of [...this.#waiters]) {
        this.#dropWaiter(waiter);
        waiter.reject(failure);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** A lease was taken for the head waiter: hand it over, or give it back if the waiter aborted meanwhile. */
  #granted(waiter: Waiter): void {
    if (this.#waiters[0] !== waiter) {
      void this.#redis.eval(releaseScript, 2, this.#leasesKey, this.#channel, waiter.member, 0).catch(() => undefined);
      return;
    }
    this.#dropWaiter(waiter);
    this.#held.add(waiter.member);
    this.#startKeepAlive();
    waiter.resolve();
  }

  #subscribe(): Promise<unknown> {
    if (!this.#subscribed) {
      const subscriber = this.#redis.duplicate();
      subscriber.on("message", () => void this.#pump());
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

  #startKeepAlive(): void {
    if (this.#keepAliveTimer) return;
    this.#keepAliveTimer = setInterval(() => {
      if (this.#held.size === 0) return;
      void this.#redis.eval(keepAliveScript, 1, this.#leasesKey, this.#leaseMs, ...this.#held).catch(() => undefined);
    }, this.#leaseMs / 3);
    this.#keepAliveTimer.unref?.();
  }

  #stopKeepAlive(): void {
    clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
  }
}
