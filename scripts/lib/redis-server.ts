/**
 * Throwaway `redis-server`s on 127.0.0.1, for the Redis tests and the Redis
 * benchmark: a free port, no persistence, its files in a temporary directory;
 * one alone, or several as a Redis Cluster.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running redis-server. */
export interface RedisServer {
  port: number;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
  /**
   * Stops the process only, as an outage would: its port and directory stay for
   * {@link restart}. Started with `--shutdown-on-sigterm save`, it saves its data first.
   */
  halt(): Promise<void>;
  /** Starts it again on the same port and directory, so with the data it saved, if any. */
  restart(): Promise<void>;
}

/** Starts a redis-server with `extraArgs` (e.g. cluster mode) and resolves once it accepts connections. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "modellix-redis-"));
  const launch = async () => {
    const started = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, ...extraArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await untilOutput(started, "Ready to accept connections");
    return started;
  };
  let child = await launch();
  const halt = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill();
    await exited;
  };
  return {
    port,
    halt,
    async restart() {
      await halt();
      child = await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Resolves once `child` printed `text`; its output is drained from then on. */
function untilOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += String(chunk);
      if (!seen.includes(text)) return;
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${String(code)}) before it was ready: ${seen}`)));
  });
}

/** A running Redis Cluster of masters only, each a {@link RedisServer} of its own. */
export interface RedisCluster {
  nodes: RedisServer[];
  /** Stops every node. */
  stop(): Promise<void>;
}

/**
 * Starts `masters` redis-servers in cluster mode (no replicas), splits the 16384
 * hash slots evenly between them, joins them, and resolves once every node
 * reports `cluster_state:ok` (a second or two).
 */
export async function startCluster(masters: number): Promise<RedisCluster> {
  const { Redis } = await import("ioredis");
  const nodes = await Promise.all(Array.from({ length: masters }, () => startRedis(["--cluster-enabled", "yes", "--cluster-announce-ip", "127.0.0.1"])));
  const stop = async () => void (await Promise.all(nodes.map((node) => node.stop())));
  const admins = nodes.map((node) => new Redis({ host: "127.0.0.1", port: node.port }));
  try {
    const share = Math.ceil(16384 / masters);
    await Promise.all(admins.map((admin, i) => admin.call("CLUSTER", "ADDSLOTSRANGE", String(i * share), String(Math.min(16383, (i + 1) * share - 1)))));
    for (const node of nodes.slice(1)) await admins[0]?.call("CLUSTER", "MEET", "127.0.0.1", String(node.port));
    for (const admin of admins) {
      for (let tries = 0; !String(await admin.call("CLUSTER", "INFO")).includes("cluster_state:ok"); tries++) {
        if (tries === 200) throw new Error("the Redis Cluster did not come up within 10 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await Promise.all(admins.map((admin) => admin.quit()));
  }
}
