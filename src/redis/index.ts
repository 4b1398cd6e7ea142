/**
 * `modellix/redis`: the team's concurrent-task quota shared through Redis, for
 * workers in several processes or on several machines. Needs `ioredis` (an
 * optional peer dependency). Node only.
 *
 * ```ts
 * import { Redis } from "ioredis";
 * import Modellix from "modellix";
 * import { RedisQuota } from "modellix/redis";
 *
 * const quota = new RedisQuota({ redis: new Redis(process.env.REDIS_URL), slots: 3, key: "modellix:quota:my-team", instanceId: process.env.WORKER_ID });
 * const client = new Modellix({ quota });
 * ```
 *
 * @packageDocumentation
 */
export { RedisQuota } from "./redis-quota.js";
export type { RedisQuotaOptions } from "./options.js";
export type { RedisConnection } from "./lua.js";
export { QuotaAcquireTimeoutError, QuotaLeaseLostError } from "./errors.js";
export type { ReleaseOptions } from "../core/quota.js";
