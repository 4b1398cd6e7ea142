/**
 * The Lua scripts behind {@link RedisQuota}. Each runs atomically in Redis and
 * reads Redis's own clock (`TIME`), so processes on machines whose clocks
 * disagree still agree on when a lease ends. Leases live in one sorted set:
 * member = slot, score = the ms at which the lease ends. Each script touches
 * that one key only (the wake-up channel is an argument, not a key), so it runs
 * in a Redis Cluster too.
 */
import { LuaScript } from "./lua.js";

const now = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS[1] leases; ARGV slots, member, leaseMs. Drops ended leases, then takes
 * (or renews) the member's lease if a slot is free: returns -1. Otherwise
 * returns the ms until the next lease ends, for the caller's next try.
 */
export const acquireScript = new LuaScript(
  `${now}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(0, tonumber(first[2]) - now)`,
  1,
);

/** What {@link keepAliveScript} did with one lease. */
export const LeaseRenewal = {
  /** The lease existed and now ends `leaseMs` from now. */
  kept: 0,
  /** The lease had ended or vanished (a stall longer than `leaseMs`, `FLUSHALL`, a restart with no data); a slot was free and it is held again. */
  retaken: 1,
  /**
   * The lease had ended or vanished and every slot was taken meanwhile. It is
   * held again anyway, above the quota: its task still runs at the server and
   * counts there, so no other submit may start until enough leases end.
   */
  retakenOverQuota: 2,
} as const;

/**
 * KEYS[1] leases; ARGV slots, leaseMs, members...: makes each member's lease
 * end `leaseMs` from now. Leases that still exist are extended first; each
 * lost one is then added back, and its status says whether a slot was free
 * for it. Returns one {@link LeaseRenewal} value per member, in order.
 */
export const keepAliveScript = new LuaScript(
  `${now}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local slots = tonumber(ARGV[1])
local ends = now + tonumber(ARGV[2])
local status = {}
local lost = {}
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], ends, ARGV[i])
    status[i - 2] = ${LeaseRenewal.kept}
  else
    lost[#lost + 1] = i
  end
end
for _, i in ipairs(lost) do
  if redis.call('ZCARD', KEYS[1]) < slots then
    status[i - 2] = ${LeaseRenewal.retaken}
  else
    status[i - 2] = ${LeaseRenewal.retakenOverQuota}
  end
  redis.call('ZADD', KEYS[1], ends, ARGV[i])
end
return status`,
  1,
);

/**
 * KEYS[1] leases; ARGV member, afterMs, wake-up channel. With afterMs > 0 the
 * lease is set to end that much later (and is added back if it was lost: its
 * task may still run). Otherwise it is removed and waiters are woken. Returns
 * 1 if the member held a lease (always 1 with afterMs > 0).
 */
export const releaseScript = new LuaScript(
  `${now}
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then redis.call('PUBLISH', ARGV[3], ARGV[1]) end
return removed`,
  1,
);
