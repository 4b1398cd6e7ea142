import type { Cluster, Redis } from "ioredis";
import type { RedisConnection } from "./lua.js";

/**
 * A subscription to the team's wake-up channel, on a connection of its own (a
 * subscribed connection runs no other command). ioredis reconnects and
 * subscribes again by itself after an outage.
 */
export interface WakeUps {
  /** The command the scripts announce on the channel with: what this subscription listens to. */
  readonly publish: "SPUBLISH" | "PUBLISH";
  /** Ends the subscription and closes its connection, at once (nothing waits on it, even with Redis down). */
  close(): void;
}

/**
 * Subscribes to `channel`, calling `onMessage` with every announcement. On a
 * Cluster it is a shard channel (`SSUBSCRIBE`; the scripts then `SPUBLISH`), so
 * a wake-up stays on the shard that owns the quota's keys instead of being
 * broadcast to every node. That needs Redis 7 and an ioredis with dedicated
 * shard subscribers (the `shardedSubscribers` Cluster option, ioredis 5.6 and
 * later); without either it falls back to classic `SUBSCRIBE` / `PUBLISH`,
 * which a Cluster forwards to all of its nodes.
 */
export async function subscribe(redis: RedisConnection, channel: string, onMessage: (message: string) => void): Promise<WakeUps> {
  if (redis.isCluster) {
    const sharded = await subscribeSharded(redis as Cluster, channel, onMessage);
    if (sharded) return sharded;
  }
  const subscriber = (redis as Redis).duplicate();
  subscriber.on("message", (_channel: string, message: string) => onMessage(message));
  // Connection errors reach the scripts' own commands; this connection only listens.
  subscriber.on("error", () => undefined);
  try {
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    throw error;
  }
  return { publish: "PUBLISH", close: () => subscriber.disconnect() };
}

/** A shard-channel subscription on a Cluster, or `undefined` when this ioredis or this Redis has none. */
async function subscribeSharded(cluster: Cluster, channel: string, onMessage: (message: string) => void): Promise<WakeUps | undefined> {
  const subscriber = cluster.duplicate([], { shardedSubscribers: true });
  // ioredis before 5.6 ignores the option and would send SSUBSCRIBE to any node, where it never hears a thing.
  if (Reflect.get(subscriber, "shardedSubscribers") === undefined) {
    subscriber.disconnect();
    return undefined;
  }
  subscriber.on("smessage", (_channel: string, message: string) => onMessage(message));
  subscriber.on("error", () => undefined);
  try {
    await subscriber.ssubscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    if (error instanceof Error && /unknown command/i.test(error.message)) return undefined; // Redis before 7
    throw error;
  }
  return { publish: "SPUBLISH", close: () => subscriber.disconnect() };
}
