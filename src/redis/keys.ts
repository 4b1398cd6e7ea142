/** The Redis names one team's quota uses. */
export interface QuotaKeys {
  /** The sorted set of leases: member = slot, score = when its lease ends (ms, Redis clock). */
  leases: string;
  /** The pub/sub channel a release is announced on, to wake waiting submits. */
  channel: string;
}

/**
 * The names for the quota under `key` (e.g. `"modellix:quota:my-team"`). Both
 * carry the hash tag `{key}`, so in a Redis Cluster they fall in one slot: a
 * script may only touch keys of one slot, and sharded pub/sub routes a channel
 * by its slot. A `key` that already holds a hash tag (`"{team}:quota"`) is kept
 * as it is.
 */
export function quotaKeys(key: string): QuotaKeys {
  const tagged = hasHashTag(key) ? key : `{${key}}`;
  return { leases: `${tagged}:leases`, channel: `${tagged}:released` };
}

/** Redis Cluster's rule: the text between the first `{` and the first `}` after it, if not empty, is what is hashed. */
function hasHashTag(key: string): boolean {
  const open = key.indexOf("{");
  if (open < 0) return false;
  const close = key.indexOf("}", open + 1);
  return close > open + 1;
}
