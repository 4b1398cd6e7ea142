import pRetry from "p-retry";
import { UserAbortError, ConnectionError, type ModellixError } from "../core/errors.js";
import type { QuotaCoordinator, ReleaseOptions } from "../core/quota.js";
import { abortErrorFrom } from "../core/sleep.js";
import { QuotaAcquireTimeoutError, QuotaLeaseLostError } from "./errors.js";
import { type QuotaKeys, quotaKeys } from "./keys.js";
import type { RedisConnection } from "./lua.js";
import { type RedisQuotaOptions, quotaSettings } from "./options.js";
import { OutageClock } from "./outage.js";
import { LeaseRenewal, acquireScript, freeInstanceScript, keepAliveScript, leaveScript, releaseScript } from "./scripts.js";
import { type WakeUps, subscribe } from "./wake-ups.js";

interface Waiter {
  member: string;
  resolve(): void;
  reject(error: Error): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The team quota shared through Redis, for several processes or machines:
 * `new Modellix({ quota: new RedisQuota({ redis }) })` in each of them.
 *
 * - Slots are leases in one sorted set, taken, kept alive and given back by
 *   atomic Lua scripts (sent by SHA1) on Redis's clock.
 * - Waiting submits of every process stand in one queue in Redis, ordered by
 *   arrival: a free slot goes to the team's longest waiter. A freed slot wakes
 *   them through pub/sub (sharded on a Cluster), with a modest, jittered poll as
 *   a fallback; they never busy-poll Redis. They wait through a Redis outage
 *   for `maxOutageMs`.
 * - When Redis lost its data (`FLUSHALL`, a restart without it), no slot is
 *   granted for `leaseMs / 2`, while the processes still holding slots put their
 *   leases back (told at once through pub/sub and on reconnect, at the latest by
 *   their keep-alive every `leaseMs / 3`): the team stays within its quota.
 * - A lease that ended because this process stalled or lost Redis for longer
 *   than `leaseMs` is taken back only by {@link renew}, after a poll saw its
 *   task still running. Whenever the team is found over its quota that way,
 *   `onError` gets a {@link QuotaLeaseLostError}.
 */
export class RedisQuota implements QuotaCoordinator {
  readonly #redis: RedisConnection;
  readonly #slots: number;
  readonly #keys: QuotaKeys;
  readonly #leaseMs: number;
  readonly #maxPollMs: number;
  readonly #acquireTimeoutMs: number | undefined;
  readonly #onError: (error: ModellixError) => void;
  readonly #outage: OutageClock;
  /** Prefixes this instance's members, so slot ids of different processes never collide. */
  readonly #instance: string;
  /** True until the leases and queue places of an earlier process with this stable instance id are freed. */
  #predecessor: boolean;
  readonly #waiters: Waiter[] = [];
  readonly #held = new Set<string>();
  /** Members whose release Redis has not confirmed yet: still held there, and retried. */
  readonly #releasing = new Set<string>();
  /** When each lease was last confirmed (taken or kept alive), by `performance.now()`: it ends `leaseMs` later at the latest. */
  readonly #confirmedAt = new Map<string, number>();
  /** Keep-alives in flight, by member: a release waits for them, so a lost lease taken back late cannot outlive its release. */
  readonly #renewing = new Map<string, Promise<unknown>>();
  /** The subscription, then the predecessor's slots freed: what every script call waits for first. */
  #started: Promise<WakeUps> | undefined;
  /** The command the scripts publish wake-ups with, once subscribed; kept after {@link close} for the releases still due. */
  #publish: WakeUps["publish"] | undefined;
  #pumping = false;
  #pumpAgain = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** Connected, or back from an outage (ioredis's `ready`): free a predecessor's slots if that failed, put lost leases back, try for slots, at once. */
  readonly #onReconnect = () => {
    if (this.#predecessor) this.#start().catch(() => undefined);
    this.#keepAliveNow();
    void this.#pump();
  };

  constructor(options: RedisQuotaOptions) {
    const settings = quotaSettings(options);
    this.#redis = settings.redis;
    this.#slots = settings.slots;
    this.#keys = quotaKeys(settings.key);
    this.#leaseMs = settings.leaseMs;
    this.#maxPollMs = settings.maxPollMs;
    this.#acquireTimeoutMs = settings.acquireTimeoutMs;
    this.#onError = settings.onError;
    this.#outage = new OutageClock(settings.maxOutageMs);
    this.#instance = settings.instanceId ?? globalThis.crypto.randomUUID();
    this.#predecessor = settings.instanceId !== undefined;
    this.#redis.on("ready", this.#onReconnect);
    // A restarted worker gives back what it left at once, not at its first submit; a failure is retried by that submit.
    if (this.#predecessor) this.#start().catch(() => undefined);
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
   * Waits for a free slot and takes it under `slotId`, after the team's longer
   * waiters. Rejects with `UserAbortError` if `signal` aborts or the quota is
   * closed, {@link QuotaAcquireTimeoutError} past `acquireTimeoutMs`, and
   * `ConnectionError` if Redis fails for good or for longer than `maxOutageMs`.
   */
  acquire(slotId: string, signal?: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(new UserAbortError("The RedisQuota was closed."));
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        member: this.#member(slotId),
        resolve,
        reject,
        signal,
        onAbort: () => this.#giveUp(waiter, abortErrorFrom(signal)),
        timer: undefined,
      };
      const timeoutMs = this.#acquireTimeoutMs;
      if (timeoutMs !== undefined) waiter.timer = setTimeout(() => this.#giveUp(waiter, new QuotaAcquireTimeoutError(timeoutMs)), timeoutMs);
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      void this.#pump();
    });
  }

  /**
   * Keeps a held slot's lease alive for another `leaseMs`; the SDK calls it on
   * every poll that saw the slot's task still running. A lease that was lost is
   * taken back. When other processes had taken every slot meanwhile (the lease
   * is held again, above the quota), `onError` gets a {@link QuotaLeaseLostError}
   * and this rejects with it; it rejects with `ConnectionError` when Redis fails.
   * Does nothing for a slot not held, or once closed.
   */
  async renew(slotId: string): Promise<void> {
    const member = this.#member(slotId);
    if (this.#closed || !this.#held.has(member)) return;
    const lost = await this.#keepAlive([member], []);
    if (lost.length === 0) return;
    const error = new QuotaLeaseLostError({ slotIds: [slotId], slots: this.#slots });
    this.#report(error);
    throw error;
  }

  /**
   * Gives the slot back, at once (waking waiters) or after `options.afterMs`,
   * and resolves once Redis confirmed it. A release that fails (an outage, a
   * failover) is retried at most `maxPollMs` apart, and at once when the
   * connection is back, until Redis confirms it, or until its lease has ended
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
   * subscription. Waiting submits reject with `UserAbortError` and leave the team's
   * queue; slots still held come back when their leases end (or when a process
   * with the same `instanceId` starts). The ioredis client you passed stays open.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#stopKeepAlive();
    this.#redis.off("ready", this.#onReconnect);
    const waiters = this.#waiters.splice(0);
    for (const waiter of waiters) {
      this.#forget(waiter);
      waiter.reject(new UserAbortError("The RedisQuota was closed."));
    }
    this.#leave(waiters.map((waiter) => waiter.member));
    // A subscription still starting closes itself once it sees the quota closed: nothing here waits for Redis.
    this.#started?.then((wakeUps) => wakeUps.close(), () => undefined);
    this.#started = undefined;
  }

  #member(slotId: string): string {
    return `${this.#instance}:${slotId}`;
  }

  #slotId(member: string): string {
    return member.slice(this.#instance.length + 1);
  }

  /** A waiter leaves (abort, timeout): out of the local list and, in the background, out of the team's queue. */
  #giveUp(waiter: Waiter, error: Error): void {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return;
    this.#waiters.splice(index, 1);
    this.#forget(waiter);
    waiter.reject(error);
    this.#leave([waiter.member]);
  }

  #forget(waiter: Waiter): void {
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    clearTimeout(waiter.timer);
  }

  /** Takes `members` off the team's queue, best effort: a place nobody vouches for leaves it by itself soon. */
  #leave(members: string[]): void {
    if (members.length === 0) return;
    const publish = this.#publish;
    if (!publish) return; // never started: nothing of this process is in the queue
    leaveScript
      .run(this.#redis, [this.#keys.leases, this.#keys.queue, this.#keys.queueAlive], [this.#slots, publish, this.#keys.channel, ...members])
      .catch(() => undefined);
  }

  /**
   * Subscribes to the wake-ups, then (once, with a stable instance id) frees
   * what a predecessor left. Every script waits for it: the publish command
   * depends on the subscription, and a predecessor's leases must go before this
   * process takes any under the same names. Tried again after a failure.
   */
  #start(): Promise<WakeUps> {
    if (this.#closed) return Promise.reject(new UserAbortError("The RedisQuota was closed."));
    this.#started ??= (async () => {
      const wakeUps = await subscribe(this.#redis, this.#keys.channel, (message) => this.#onWakeUp(message));
      if (this.#closed) {
        wakeUps.close();
        throw new UserAbortError("The RedisQuota was closed.");
      }
      try {
        if (this.#predecessor) {
          await freeInstanceScript.run(this.#redis, [this.#keys.leases, this.#keys.queue, this.#keys.queueAlive], [`${this.#instance}:`, wakeUps.publish, this.#keys.channel]);
          this.#predecessor = false;
        }
      } catch (error) {
        wakeUps.close();
        throw error;
      }
      this.#publish = wakeUps.publish;
      return wakeUps;
    })().catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  /** The publish command for a script: known once started (even after {@link close}), else after starting. */
  async #publishCommand(): Promise<WakeUps["publish"]> {
    return this.#publish ?? (await this.#start()).publish;
  }

  /** Another process freed a slot (or found Redis without the team's data: then this one's leases go back at once). */
  #onWakeUp(message: string): void {
    if (message === "lost") this.#keepAliveNow();
    void this.#pump();
  }

  /**
   * Asks Redis for slots for the waiters, in order, while any wait; between
   * tries, sleeps until a wake-up, the next lease end or `maxPollMs`. Through a
   * Redis outage it keeps trying for `maxOutageMs`, then fails the waiters.
   */
  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    clearTimeout(this.#retryTimer);
    let retryMs: number | undefined;
    try {
      do {
        this.#pumpAgain = false;
        if (this.#waiters.length === 0 || this.#closed) return;
        retryMs = await this.#tryAcquire();
      } while (this.#pumpAgain);
    } catch (error) {
      retryMs = this.#outage.waitThrough(error, this.#redis) ? this.#maxPollMs : this.#failWaiters(error);
    } finally {
      this.#pumping = false;
    }
    if (retryMs !== undefined && this.#waiters.length > 0 && !this.#closed) {
      this.#retryTimer = setTimeout(() => void this.#pump(), Math.max(1, retryMs) * (0.8 + 0.4 * Math.random()));
    }
  }

  /** One try for the current waiters. Resolves with the ms until the next try. */
  async #tryAcquire(): Promise<number> {
    const call = this.#outage.bound(this.#start()).then(({ publish }) => {
      const members = this.#waiters.map((waiter) => waiter.member);
      const sentAt = performance.now();
      const keys = this.#keys;
      const aliveMs = Math.max(3 * this.#maxPollMs, 2000);
      // The answer is handed out even if it comes after the outage allowance: a slot granted to a waiter gone meanwhile goes back.
      const answer = acquireScript
        .run(this.#redis, [keys.leases, keys.queue, keys.queueAlive, keys.epoch], [this.#slots, this.#leaseMs, this.#leaseMs / 2, aliveMs, publish, keys.channel, ...members])
        .then((result) => this.#handOut(result as Array<number | string>, sentAt));
      return this.#outage.bound(answer);
    });
    const waitMs = await call;
    this.#outage.over();
    return waitMs < 0 ? this.#maxPollMs : Math.min(waitMs, this.#maxPollMs);
  }

  /** Gives the granted members their slots; one whose waiter left meanwhile is given back. Returns the script's wait hint. */
  #handOut([waitMs, ...granted]: Array<number | string>, sentAt: number): number {
    for (const member of granted.map(String)) {
      this.#confirmedAt.set(member, sentAt);
      const waiter = this.#waiters.find((candidate) => candidate.member === member);
      if (!waiter || this.#closed) {
        this.#giveBack(member, 0).catch((error: ModellixError) => this.#report(error));
        continue;
      }
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#forget(waiter);
      this.#held.add(member);
      this.#startKeepAlive();
      waiter.resolve();
    }
    return Number(waitMs);
  }

  /** Rejects every waiter with the Redis failure; returns `undefined` (no next try). */
  #failWaiters(error: unknown): undefined {
    const failure = coordinatorError("take a slot", this.#outage.describe(error), "nothing was sent to Modellix");
    this.#outage.over();
    for (const waiter of this.#waiters.splice(0)) {
      this.#forget(waiter);
      waiter.reject(failure);
    }
    return undefined;
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
      await pRetry(
        async () => {
          const publish = await this.#publishCommand();
          await releaseScript.run(this.#redis, [this.#keys.leases], [member, afterMs, publish, this.#keys.channel]);
        },
        {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: Math.min(100, this.#maxPollMs),
          maxTimeout: this.#maxPollMs,
          randomize: true,
          maxRetryTime: Math.max(0, leaseEnd - performance.now()),
          shouldRetry: () => !this.#closed,
          unref: true,
        },
      );
    } catch (error) {
      throw coordinatorError("give back a slot", error, "its lease has ended by itself meanwhile, or ends within leaseMs");
    } finally {
      this.#releasing.delete(member);
    }
  }

  /**
   * Extends the leases of `revivable` and `others`. A lost lease of `revivable`
   * is taken back (see {@link keepAliveScript}); one of `others` stays lost.
   * Resolves with the members that were taken back above the quota.
   */
  async #keepAlive(revivable: string[], others: string[]): Promise<string[]> {
    const members = [...revivable, ...others];
    const sentAt = performance.now();
    const run = this.#publishCommand()
      .then((publish) =>
        keepAliveScript.run(
          this.#redis,
          [this.#keys.leases, this.#keys.epoch],
          [this.#slots, this.#leaseMs, this.#leaseMs / 2, publish, this.#keys.channel, revivable.length, ...members],
        ),
      )
      .catch((error: unknown) => {
        throw coordinatorError("keep the quota leases alive", error);
      });
    for (const member of members) this.#renewing.set(member, run);
    try {
      const statuses = ((await run) as unknown[]).map(Number);
      members.forEach((member, i) => {
        if (statuses[i] !== LeaseRenewal.ended) this.#confirmedAt.set(member, sentAt);
      });
      return members.filter((member, i) => statuses[i] === LeaseRenewal.retakenOverQuota && this.#held.has(member));
    } finally {
      for (const member of members) if (this.#renewing.get(member) === run) this.#renewing.delete(member);
    }
  }

  #startKeepAlive(): void {
    if (this.#keepAliveTimer) return;
    this.#keepAliveTimer = setInterval(() => this.#keepAliveNow(), this.#leaseMs / 3);
    this.#keepAliveTimer.unref?.();
  }

  /**
   * Keeps every held lease alive now. A lease confirmed less than `leaseMs`
   * ago that is gone was lost with Redis's data: it is taken back. One older
   * than that (this process stalled, or lost Redis that long) had ended, and
   * its task may have ended meanwhile: only {@link renew}, after a poll, takes it back.
   */
  #keepAliveNow(): void {
    if (this.#held.size === 0 || this.#closed) return;
    const now = performance.now();
    const members = [...this.#held];
    const confirmed = (member: string) => now - (this.#confirmedAt.get(member) ?? Number.NEGATIVE_INFINITY) < this.#leaseMs;
    this.#keepAlive(members.filter(confirmed), members.filter((member) => !confirmed(member))).then(
      (lost) => {
        if (lost.length > 0) this.#report(new QuotaLeaseLostError({ slotIds: lost.map((member) => this.#slotId(member)), slots: this.#slots }));
      },
      (error: ModellixError) => this.#report(error),
    );
  }

  #stopKeepAlive(): void {
    clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
  }

  /** Hands a background failure to `onError`; an `onError` that throws does not stop the quota. */
  #report(error: ModellixError): void {
    try {
      this.#onError(error);
    } catch {
      // The caller's handler failed; the quota carries on.
    }
  }
}

/** A Redis failure as the SDK's `ConnectionError` (`requestSent: false`: it sent nothing to Modellix), saying what failed and what follows. */
function coordinatorError(action: string, error: unknown, consequence?: string): ConnectionError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`The Redis quota coordinator could not ${action} (${reason})${consequence ? `; ${consequence}` : ""}.`, {
    requestSent: false,
    cause: error,
  });
}
