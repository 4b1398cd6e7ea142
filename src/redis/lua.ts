import { createHash } from "node:crypto";
import type { Cluster, Redis } from "ioredis";

/** What {@link RedisQuota} accepts as its Redis connection: a single server (or a Sentinel set) or a Cluster. */
export type RedisConnection = Redis | Cluster;

/** The two commands a {@link LuaScript} sends, as both ioredis clients spell them. */
interface ScriptCommands {
  evalsha(sha: string, numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  eval(source: string, numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
}

/**
 * A Lua script run by its SHA1 (`EVALSHA`), so its text crosses the network
 * only when Redis does not know it yet: after a restart, a `SCRIPT FLUSH` or
 * on a new Cluster node, Redis answers `NOSCRIPT` and the script is sent once
 * with `EVAL`, which also loads it. (ioredis's `defineCommand` does the same,
 * but adds a method to the caller's client; this leaves the client untouched.)
 */
export class LuaScript {
  /** The SHA1 of the source, as Redis names the script. */
  readonly sha: string;

  constructor(
    /** The Lua source. */
    readonly source: string,
    /** How many of a call's values are keys (`KEYS`); the rest are `ARGV`. */
    readonly numberOfKeys: number,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /** Runs the script with `keys` (exactly {@link numberOfKeys} of them) and `args`. */
  async run(redis: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) throw new RangeError(`LuaScript: expected ${this.numberOfKeys} keys, got ${keys.length}`);
    const client = redis as unknown as ScriptCommands;
    try {
      return await client.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.eval(this.source, this.numberOfKeys, ...keys, ...args);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}
