/**
 * A worker process of bench/redis.ts: one Modellix client sharing the team
 * quota through RedisQuota. It receives its settings, answers "ready", and on
 * "go" submits all its tasks at once, waits for every one and answers with
 * what failed, then exits.
 */
import { Redis } from "ioredis";
import { redis as redisEntry, sdk } from "./sdk.js";

/** What bench/redis.ts sends a worker first. */
export interface WorkerStart {
  redisPort: number;
  key: string;
  baseURL: string;
  slots: number;
  pollMs: number;
  tasks: number;
  worker: number;
}

process.once("message", async (start: WorkerStart) => {
  const redis = new Redis({ host: "127.0.0.1", port: start.redisPort, lazyConnect: true });
  await redis.connect();
  const quota = new redisEntry.RedisQuota({ redis, slots: start.slots, key: start.key, leaseMs: 30_000, maxPollMs: 250 });
  const client = new sdk.Modellix({
    apiKey: "bench-key",
    baseURL: start.baseURL,
    quota,
    pollInterval: { initialMs: start.pollMs, factor: 1, maxMs: start.pollMs },
    logLevel: "warn",
  });
  process.send?.("ready");
  process.once("message", async () => {
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: start.tasks }, async (_, index) => {
        try {
          await client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: `worker ${start.worker} task ${index}` }).wait();
        } catch (error) {
          failures.push(String(error));
        }
      }),
    );
    process.send?.({ failures });
    await quota.close();
    await redis.quit();
    process.exit(0);
  });
});
