import type { ModellixError } from "../core/errors.js";
import type { RedisConnection } from "./lua.js";

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
   * e.g. `"modellix:quota:my-team"`. Every key and the channel start with `{<key>}:`:
   * the hash tag keeps them in one Redis Cluster slot.
   */
  key?: string | undefined;
  /**
   * How long a lease lasts without being kept alive, in ms (default 15000). This
   * process keeps its leases alive every `leaseMs / 3` (and on every poll of the
   * slot's task, through {@link RedisQuota.renew}); the slots of a process that
   * crashed come back after at most `leaseMs` (at once with a stable
   * {@link instanceId}). After Redis lost its data, no slot is granted for
   * `leaseMs / 2`, while the processes still holding slots put their leases
   * back. Use the same value in every process sharing `key`.
   */
  leaseMs?: number | undefined;
  /**
   * Names this worker, stably across its restarts (e.g. a host name and worker
   * number, a Kubernetes StatefulSet pod name). A process started with the id
   * of one that crashed frees, at start, the slots and queue places that one
   * left, instead of leaving them taken until their leases end; a batch resumed
   * from its journal then takes slots again for the tasks still running. Two
   * live processes must never share an id. Default: a random id per instance.
   * No `:` in it.
   */
  instanceId?: string | undefined;
  /**
   * Longest wait between two tries while waiting for a slot, in ms (default 1000,
   * ±20 % jitter). A freed slot wakes waiters at once through pub/sub; the tries
   * catch leases that ended because their process died. Also the longest wait
   * between two tries of a release that failed (Redis down).
   */
  maxPollMs?: number | undefined;
  /**
   * Longest a submit waits for a slot, in ms (default: no limit). Past it the
   * submit rejects with {@link QuotaAcquireTimeoutError} and sends nothing.
   * A submit's `signal` stops the wait too.
   */
  acquireTimeoutMs?: number | undefined;
  /**
   * How long waiting submits wait through a Redis outage, in ms (default 60000;
   * `Infinity`: until Redis is back; 0: they fail with the first command that
   * fails). Counted from the first failure, or from the send of a command that
   * gets no answer; past it the
   * waiting submits reject with `ConnectionError` (nothing sent). The same
   * whatever the ioredis version: ioredis 5 fails a command after about 10 s of
   * reconnecting, ioredis 6 after about 70 s, and the quota tries again until
   * this runs out. A connection that stopped reconnecting (`retryStrategy`
   * returned null) fails them at once.
   */
  maxOutageMs?: number | undefined;
  /**
   * Called with what goes wrong in the background: a keep-alive that failed
   * (`ConnectionError`), the team found running over its quota because a lease
   * had been lost ({@link QuotaLeaseLostError}, from a keep-alive or a
   * {@link RedisQuota.renew}), a lease that could not be given back. Default:
   * `console.warn`. (`renew()` and `release()` also reject with their own failures.)
   */
  onError?: ((error: ModellixError) => void) | undefined;
}

/** {@link RedisQuotaOptions} checked, with their defaults. */
export interface QuotaSettings {
  redis: RedisConnection;
  slots: number;
  key: string;
  leaseMs: number;
  instanceId: string | undefined;
  maxPollMs: number;
  acquireTimeoutMs: number | undefined;
  maxOutageMs: number;
  onError: (error: ModellixError) => void;
}

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms. */
export const maxTimerMs = 2 ** 31 - 1;

/** Checks `options` (a `RangeError` naming the option) and fills in the defaults. */
export function quotaSettings(options: RedisQuotaOptions): QuotaSettings {
  const settings: QuotaSettings = {
    redis: options.redis,
    slots: options.slots ?? 3,
    key: options.key ?? "modellix:quota",
    leaseMs: options.leaseMs ?? 15_000,
    instanceId: options.instanceId,
    maxPollMs: options.maxPollMs ?? 1000,
    acquireTimeoutMs: options.acquireTimeoutMs === Number.POSITIVE_INFINITY ? undefined : options.acquireTimeoutMs,
    maxOutageMs: options.maxOutageMs ?? 60_000,
    onError: options.onError ?? ((error) => console.warn(`modellix: ${error.message}`)),
  };
  if (!Number.isInteger(settings.slots) || settings.slots < 1) throw new RangeError("RedisQuota: slots must be a whole number, 1 or more");
  if (!inRange(settings.leaseMs, 30)) throw new RangeError(`RedisQuota: leaseMs must be a number of ms from 30 to ${maxTimerMs}`);
  if (!inRange(settings.maxPollMs, 1)) throw new RangeError(`RedisQuota: maxPollMs must be a number of ms from 1 to ${maxTimerMs}`);
  if (settings.acquireTimeoutMs !== undefined && !inRange(settings.acquireTimeoutMs, 1)) {
    throw new RangeError(`RedisQuota: acquireTimeoutMs must be a number of ms from 1 to ${maxTimerMs}, or Infinity for no limit`);
  }
  if (settings.maxOutageMs !== Number.POSITIVE_INFINITY && !inRange(settings.maxOutageMs, 0)) {
    throw new RangeError(`RedisQuota: maxOutageMs must be a number of ms from 0 to ${maxTimerMs}, or Infinity to wait until Redis is back`);
  }
  const id = settings.instanceId;
  if (id !== undefined && (typeof id !== "string" || id.length === 0 || id.length > 200 || id.includes(":"))) {
    throw new RangeError("RedisQuota: instanceId must be a string of 1 to 200 characters without ':'");
  }
  return settings;
}

function inRange(ms: number, min: number): boolean {
  return typeof ms === "number" && ms >= min && ms <= maxTimerMs;
}
