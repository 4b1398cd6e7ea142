/**
 * The Lua scripts behind {@link RedisQuota}. Each runs atomically in Redis and
 * reads Redis's own clock (`TIME`), so processes on machines whose clocks
 * disagree still agree on when a lease ends. Leases live in one sorted set:
 * member = slot, score = the ms at which the lease ends.
 */

const now = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS[1] leases; ARGV slots, member, leaseMs. Drops ended leases, then takes
 * (or renews) the member's lease if a slot is free: returns -1. Otherwise
 * returns the ms until the next lease ends, for the caller's next try.
 */
export const acquireScript = `${now}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(0, tonumber(first[2]) - now)`;

/** KEYS[1] leases; ARGV leaseMs, members...: extends the leases that still exist (an ended lease is not revived). */
export const keepAliveScript = `${now}
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
end
return 0`;

/**
 * KEYS[1] leases, KEYS[2] wake-up channel; ARGV member, afterMs. With afterMs > 0
 * the lease is set to end that much later; otherwise it is removed and waiters
 * are woken. Returns 1 if the member held a lease.
 */
export const releaseScript = `${now}
if tonumber(ARGV[2]) > 0 then
  return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
end
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then redis.call('PUBLISH', KEYS[2], ARGV[1]) end
return removed`;
