/**
 * The Lua scripts behind {@link RedisQuota}. Each runs atomically in Redis and
 * reads Redis's own clock (`TIME`), so processes on machines whose clocks
 * disagree still agree on when a lease ends and who came first. Leases live in
 * one sorted set (member = slot, score = the ms at which the lease ends), the
 * waiting submits of every process in another (score = arrival, in µs), and the
 * team's marker in a string (see {@link QuotaKeys.epoch}). Every key of a script
 * shares one hash tag, and the wake-up channel is an argument, so the scripts
 * run in a Redis Cluster too. The publish command is an argument as well:
 * `SPUBLISH` on a Cluster (a shard channel stays on its shard), else `PUBLISH`.
 */
import { LuaScript } from "./lua.js";

/** Reads Redis's clock: `t` (TIME's answer) and `now` in ms. */
const clock = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** A Lua number as an exact integer string (`tostring` would round a µs timestamp to 14 digits). */
const exact = (expression: string) => `string.format('%.0f', ${expression})`;

/**
 * Reads the team's marker into `opensAt`. A missing one means Redis lost its
 * data (or this is its first use): slots open a grace period from now, and the
 * other processes are told at once so that they put their leases back.
 */
const readEpoch = (epochKey: string, graceArg: string, publishArg: string, channelArg: string) => `local opensAt = tonumber(redis.call('GET', ${epochKey}))
if not opensAt then
  opensAt = now + tonumber(${graceArg})
  redis.call('SET', ${epochKey}, ${exact("opensAt")})
  redis.call(${publishArg}, ${channelArg}, 'lost')
end`;

/**
 * KEYS leases, queue, queue-alive, epoch; ARGV slots, leaseMs, graceMs, aliveMs,
 * publish command, channel, then this process's waiting members in its own
 * order. Drops ended leases and the waiters of processes that stopped vouching
 * for them, puts the members in the queue (keeping the place of those already
 * there) and vouches for them for `aliveMs`. Then, unless the grace period after
 * lost data runs, grants each free slot to the longest waiter of the team: the
 * members among them are taken off the queue and get a lease.
 *
 * Returns `{ waitMs, granted... }`: the granted members (one that already held
 * a lease, a grant whose answer was lost, included), and how long until a slot
 * may come free (a lease ends, or the grace period) or -1 when slots are free
 * but go to other processes' longer waiters.
 */
export const acquireScript = new LuaScript(
  `${clock}
${readEpoch("KEYS[4]", "ARGV[3]", "ARGV[5]", "ARGV[6]")}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], gone)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local arrival = tonumber(t[1]) * 1000000 + tonumber(t[2])
local mine = {}
local result = { -1 }
for i = 7, #ARGV do
  local member = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], member) then
    redis.call('ZREM', KEYS[2], member)
    redis.call('ZREM', KEYS[3], member)
    result[#result + 1] = member
  else
    mine[member] = true
    redis.call('ZADD', KEYS[2], 'NX', ${exact("arrival + i")}, member)
    redis.call('ZADD', KEYS[3], ${exact("now + tonumber(ARGV[4])")}, member)
  end
end
if now < opensAt then
  result[1] = opensAt - now
  return result
end
local free = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
if free > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, free - 1)) do
    if mine[member] then
      redis.call('ZADD', KEYS[1], ${exact("now + tonumber(ARGV[2])")}, member)
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZREM', KEYS[3], member)
      result[#result + 1] = member
    end
  end
else
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  result[1] = math.max(1, tonumber(first[2]) - now)
end
return result`,
  4,
);

/** What {@link keepAliveScript} did with one lease. */
export const LeaseRenewal = {
  /** The lease existed and now ends `leaseMs` from now. */
  kept: 0,
  /** The lease had vanished (a `FLUSHALL`, a restart without data) or ended; a slot was free and it is held again. */
  retaken: 1,
  /**
   * The lease had vanished or ended and every slot was taken meanwhile. It is
   * held again anyway, above the quota: its task still runs at the server and
   * counts there, so no other submit may start until enough leases end.
   */
  retakenOverQuota: 2,
  /** The lease had ended and was not to be taken back blindly (its task may have ended meanwhile): it stays gone. */
  ended: 3,
} as const;

/**
 * KEYS leases, epoch; ARGV slots, leaseMs, graceMs, publish command, channel,
 * the number of members that may be taken back, then the members (those first).
 * Makes each member's lease end `leaseMs` from now. Leases that still exist are
 * extended first; each lost one that may be taken back is then added back, and
 * its status says whether a slot was free for it; the others stay lost. Returns
 * one {@link LeaseRenewal} value per member, in order.
 */
export const keepAliveScript = new LuaScript(
  `${clock}
${readEpoch("KEYS[2]", "ARGV[3]", "ARGV[4]", "ARGV[5]")}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local slots = tonumber(ARGV[1])
local ends = ${exact("now + tonumber(ARGV[2])")}
local lastRevivable = 6 + tonumber(ARGV[6])
local status = {}
local lost = {}
for i = 7, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], ends, ARGV[i])
    status[i - 6] = ${LeaseRenewal.kept}
  elseif i <= lastRevivable then
    lost[#lost + 1] = i
  else
    status[i - 6] = ${LeaseRenewal.ended}
  end
end
for _, i in ipairs(lost) do
  if redis.call('ZCARD', KEYS[1]) < slots then
    status[i - 6] = ${LeaseRenewal.retaken}
  else
    status[i - 6] = ${LeaseRenewal.retakenOverQuota}
  end
  redis.call('ZADD', KEYS[1], ends, ARGV[i])
end
return status`,
  2,
);

/**
 * KEYS leases; ARGV member, afterMs, publish command, channel. With afterMs > 0
 * the lease is set to end that much later (and is added back if it was lost:
 * its task may still run). Otherwise it is removed and the other processes are
 * woken. Returns 1 if the member held a lease (always 1 with afterMs > 0).
 */
export const releaseScript = new LuaScript(
  `${clock}
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], ${exact("now + tonumber(ARGV[2])")}, ARGV[1])
  return 1
end
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then redis.call(ARGV[3], ARGV[4], 'released') end
return removed`,
  1,
);

/**
 * KEYS leases, queue, queue-alive; ARGV slots, publish command, channel,
 * members...: takes waiters that gave up (an abort, a timeout) off the queue,
 * waking the other processes when that may hand them a free slot. Returns how
 * many were in the queue.
 */
export const leaveScript = new LuaScript(
  `${clock}
local removed = 0
for i = 4, #ARGV do
  removed = removed + redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('ZREM', KEYS[3], ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if removed > 0 and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then redis.call(ARGV[2], ARGV[3], 'left') end
return removed`,
  3,
);

/**
 * KEYS leases, queue, queue-alive; ARGV member prefix, publish command, channel.
 * Frees every lease and queue place whose member starts with the prefix (what
 * an earlier process with the same instance id left), waking the others.
 * Returns `{ leases freed, queue places freed }`.
 */
export const freeInstanceScript = new LuaScript(
  `local prefix = ARGV[1]
local function owned(member) return string.sub(member, 1, #prefix) == prefix end
local freed = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if owned(member) then freed = freed + redis.call('ZREM', KEYS[1], member) end
end
local left = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if owned(member) then
    left = left + redis.call('ZREM', KEYS[2], member)
    redis.call('ZREM', KEYS[3], member)
  end
end
if freed + left > 0 then redis.call(ARGV[2], ARGV[3], 'freed') end
return { freed, left }`,
  3,
);
