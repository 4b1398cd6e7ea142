/** The Redis names one team's quota uses. */
export interface QuotaKeys {
  /** The sorted set of leases: member = slot, score = when its lease ends (ms, Redis clock). */
  leases: string;
  /** The sorted set of waiting submits, every process's: member = slot, score = arrival (µs, Redis clock). The lowest is served first. */
  queue: string;
  /** The sorted set of the same waiters: score = until when the waiter's process vouches for it (ms, Redis clock); a crashed process's waiters leave the queue then. */
  queueAlive: string;
  /**
   * The team's marker: from which time (ms, Redis clock) slots may be granted.
   * Missing after a `FLUSHALL` or a restart without data: the first script to
   * see that sets it a grace period ahead, so that the processes still holding
   * slots put their leases back before anyone else starts.
   */
  epoch: string;
  /** The pub/sub channel (a shard channel on a Cluster) announcing a freed slot or lost data, to wake the other processes. */
  channel: string;
}

/**
 * The names for the quota under `key` (e.g. `"modellix:quota:my-team"`). All
 * carry the hash tag `{key}`, so in a Redis Cluster they fall in one slot: a
 * script may only touch keys of one slot, and a shard channel (`SPUBLISH`) is
 * served by the node owning its slot. A `key` that already holds a hash tag
 * (`"{team}:quota"`) is kept as it is.
 */
export function quotaKeys(key: string): QuotaKeys {
  const tagged = hasHashTag(key) ? key : `{${key}}`;
  return {
    leases: `${tagged}:leases`,
    queue: `${tagged}:queue`,
    queueAlive: `${tagged}:queue-alive`,
    epoch: `${tagged}:epoch`,
    channel: `${tagged}:released`,
  };
}

/** Redis Cluster's rule: the text between the first `{` and the first `}` after it, if not empty, is what is hashed. */
function hasHashTag(key: string): boolean {
  const open = key.indexOf("{");
  if (open < 0) return false;
  const close = key.indexOf("}", open + 1);
  return close > open + 1;
}
