/**
 * A worker process of test/redis.test.ts, driven over IPC. Two kinds:
 * - `client`: one Modellix client sharing the team quota through RedisQuota.
 *   `start` → `ready`; `go` → it submits every prompt at once and waits for
 *   all → `submitted` per task, then `done` with what failed and what reached
 *   the quota's `onError`.
 * - `hold`: a RedisQuota alone. `start` → it takes one slot per id (waiting
 *   for each as long as it takes), keeps the leases alive and reports `held`;
 *   the test then kills it.
 */
import { Redis } from "ioredis";
import Modellix from "modellix";
import { RedisQuota } from "modellix/redis";

/** What the test sends a worker first. */
export type WorkerStart =
  | { type: "start"; kind: "client"; redisPort: number; key: string; leaseMs: number; baseURL: string; pollMs: number; prompts: string[] }
  | { type: "start"; kind: "hold"; redisPort: number; key: string; leaseMs: number; slots: number; slotIds: string[]; instanceId?: string; maxPollMs?: number };

/** What a worker reports. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "held" }
  | { type: "submitted"; prompt: string; taskId: string }
  | { type: "done"; failures: string[]; errors: string[] };

const send = (message: WorkerMessage) => process.send?.(message);

process.once("message", async (start: WorkerStart) => {
  const redis = new Redis({ host: "127.0.0.1", port: start.redisPort, lazyConnect: true });
  redis.on("error", () => undefined); // reconnects by itself when the test restarts Redis
  await redis.connect();
  if (start.kind === "hold") {
    const { slots, key, leaseMs, instanceId, maxPollMs } = start;
    const quota = new RedisQuota({ redis, slots, key, leaseMs, instanceId, maxPollMs, onError: () => undefined });
    for (const slotId of start.slotIds) await quota.acquire(slotId);
    send({ type: "held" });
    return; // The IPC channel keeps the process (and the keep-alive) running until the test kills it.
  }
  const errors: string[] = [];
  const quota = new RedisQuota({ redis, slots: 3, key: start.key, leaseMs: start.leaseMs, maxPollMs: 250, onError: (error) => errors.push(error.name) });
  const client = new Modellix({
    apiKey: "worker-key",
    baseURL: start.baseURL,
    quota,
    pollInterval: { initialMs: start.pollMs, factor: 1, maxMs: start.pollMs },
    logLevel: "error",
  });
  process.once("message", async () => {
    const failures: string[] = [];
    await Promise.all(
      start.prompts.map(async (prompt) => {
        try {
          const task = await client.t2i.submit({ prompt });
          send({ type: "submitted", prompt, taskId: task.id });
          await task.wait();
        } catch (error) {
          failures.push(`${prompt}: ${String(error)}`);
        }
      }),
    );
    send({ type: "done", failures, errors });
    await quota.close();
    await redis.quit();
    process.exit(0);
  });
  send({ type: "ready" });
});
