import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Cluster, Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import Modellix, {
  UserAbortError,
  ConnectionError,
  type Logger,
  type ModellixError,
  type ModellixOptions,
  type QuotaCoordinator,
  SubmitOutcomeUnknownError,
  RequestTimeoutError,
} from "modellix";
import { MemoryJournal } from "modellix/node";
import { QuotaAcquireTimeoutError, QuotaLeaseLostError, RedisQuota } from "modellix/redis";
import { FakeModellix, type FakeServer, createFakeServer } from "modellix/testing";
import { type RedisCluster, type RedisServer, freePort, startCluster, startRedis } from "../scripts/lib/redis-server.js";
import type { WorkerMessage, WorkerStart } from "./redis-worker.js";

const installed = spawnSync("redis-server", ["--version"]).status === 0;
const inCI = process.env.CI === "true";
const root = fileURLToPath(new URL("..", import.meta.url));
/** Fakes setTimeout/setInterval only (not Date, setImmediate or I/O): ioredis keeps its sockets, Redis its clock. */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
}

/** Option checks need no server. */
describe("RedisQuota options", () => {
  it("refuses values a timer cannot hold, empty instance ids or ones with a colon, and accepts Infinity as no acquire timeout or outage limit", () => {
    const redis = new Redis({ lazyConnect: true });
    for (const bad of [{ slots: 0 }, { slots: 1.5 }, { leaseMs: Number.NaN }, { leaseMs: 2 ** 31 * 3 }, { maxPollMs: -1 }] as const) {
      expect(() => new RedisQuota({ redis, ...bad })).toThrow(RangeError);
    }
    for (const acquireTimeoutMs of [0, -5, Number.NaN, 2 ** 31]) {
      expect(() => new RedisQuota({ redis, acquireTimeoutMs })).toThrow(RangeError);
    }
    expect(() => new RedisQuota({ redis, acquireTimeoutMs: Number.POSITIVE_INFINITY })).not.toThrow();
    for (const maxOutageMs of [-1, Number.NaN, 2 ** 31]) {
      expect(() => new RedisQuota({ redis, maxOutageMs })).toThrow(RangeError);
    }
    expect(() => new RedisQuota({ redis, maxOutageMs: 0 })).not.toThrow();
    expect(() => new RedisQuota({ redis, maxOutageMs: Number.POSITIVE_INFINITY })).not.toThrow();
    for (const instanceId of ["", "host:1", "x".repeat(201)]) {
      expect(() => new RedisQuota({ redis, instanceId })).toThrow(RangeError);
    }
    redis.disconnect();
  });
});

/** CI must run this suite: there a missing redis-server fails it instead of skipping it. */
describe.skipIf(!installed && !inCI)("RedisQuota with a real redis-server", () => {
  let server: RedisServer;
  /** A Redis Cluster of 3 masters, started early: it takes a second or two to come up. */
  let cluster3: Promise<RedisCluster>;
  let redis: Redis;
  /** Coordinators and clients a test made, closed after it even when it fails midway. */
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  /** Every worker forked, so none outlives the suite even when a test fails midway. */
  const children = new Set<ChildProcess>();

  /** Background errors of coordinators made without their own onError: none is expected. */
  const unexpected: ModellixError[] = [];

  const quota = (options: Omit<ConstructorParameters<typeof RedisQuota>[0], "redis"> & { redis?: Redis | Cluster }) => {
    const created = new RedisQuota({ redis, onError: (error) => unexpected.push(error), ...options });
    cleanups.push(() => created.close());
    return created;
  };

  /**
   * Marks the team under `key` as one that has run a while: Redis has its marker,
   * so slots are granted at once. (A fresh Redis, like one that lost its data,
   * first grants none for `leaseMs / 2`; the tests of that say so.)
   */
  const established = (key: string, connection: Redis | Cluster = redis) => connection.set(`${key.includes("{") ? key : `{${key}}`}:epoch`, "0");

  beforeAll(async () => {
    if (!installed) throw new Error("redis-server is not installed (CI installs it in .ci/run: apt-get install -y redis-server)");
    cluster3 = startCluster(3);
    cluster3.catch(() => undefined); // awaited (and failing) in its test
    server = await startRedis();
    redis = new Redis({ host: "127.0.0.1", port: server.port });
  });

  beforeEach(async () => {
    await redis.flushall();
  });

  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(unexpected.splice(0).map((error) => error.message)).toEqual([]);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await redis?.quit();
    await server?.stop();
    await (await cluster3?.catch(() => undefined))?.stop();
  });

  it("two coordinators share the quota: a release wakes a waiter through pub/sub, a delayed release holds the slot, an abort leaves the queue", async () => {
    await established("unit");
    const a = quota({ slots: 2, key: "unit" });
    // Its fallback poll would come after the test's timeout: only pub/sub can wake it in time.
    const b = quota({ slots: 2, key: "unit", maxPollMs: 60_000 });
    await a.acquire("a1");
    await a.acquire("a2");
    let granted = false;
    const waiting = b.acquire("b1").then(() => (granted = true));
    const aborted = new AbortController();
    const abandoned = b.acquire("b2", aborted.signal).catch((error: unknown) => error);
    await settle(redis);
    expect(granted).toBe(false);
    expect([a.held, b.waiting]).toEqual([2, 2]);
    aborted.abort();
    expect(await abandoned).toBeInstanceOf(UserAbortError);
    expect(b.waiting).toBe(1);
    await a.release("a1");
    await waiting;
    await a.release("a2", { afterMs: 60_000 });
    expect(await redis.zcard("{unit}:leases")).toBe(2);
    const third = b.acquire("b3");
    await settle(redis);
    expect(b.waiting).toBe(1); // a2's slot is still held for its afterMs
    await b.release("b1");
    await third;
    await b.release("b3");
    await a.release("never-held");
    expect(await redis.zrange("{unit}:leases", "0", "-1")).toEqual([expect.stringMatching(/:a2$/)]);
  });

  it("keys and channel carry the hash tag; a key that already has one is kept", async () => {
    const plain = quota({ slots: 1, key: "modellix:quota:team-a", leaseMs: 300 });
    const tagged = quota({ slots: 1, key: "{team-b}:quota", leaseMs: 300 });
    await plain.acquire("x");
    await tagged.acquire("y");
    expect((await redis.keys("*")).sort()).toEqual([
      "{modellix:quota:team-a}:epoch",
      "{modellix:quota:team-a}:leases",
      "{team-b}:quota:epoch",
      "{team-b}:quota:leases",
    ]);
    expect(await redis.pubsub("NUMSUB", "{modellix:quota:team-a}:released", "{team-b}:quota:released")).toEqual([
      "{modellix:quota:team-a}:released",
      1,
      "{team-b}:quota:released",
      1,
    ]);
  });

  it("renew takes back a lease lost to a stall or a FLUSHALL while a slot is free, so the others still see the quota full", async () => {
    await established("lost");
    const a = quota({ slots: 2, key: "lost", leaseMs: 600 });
    const b = quota({ slots: 2, key: "lost", leaseMs: 600, maxPollMs: 60_000 });
    await a.acquire("a1");
    // A stall longer than leaseMs: the lease ended in the past.
    const [member] = await redis.zrange("{lost}:leases", "0", "-1");
    await redis.zadd("{lost}:leases", 0, String(member));
    await a.renew("a1");
    expect(Number(await redis.zscore("{lost}:leases", String(member)))).toBeGreaterThan(Date.now());
    // Redis lost its data.
    await redis.flushall();
    await a.renew("a1");
    expect(await redis.zcard("{lost}:leases")).toBe(1);
    await b.acquire("b1");
    const second = b.acquire("b2");
    await settle(redis);
    expect(b.waiting).toBe(1);
    await a.release("a1");
    await second;
    expect(await redis.zcard("{lost}:leases")).toBe(2);
  });

  it("after a FLUSHALL no slot is granted before the holders have put their leases back: the team stays within its quota", async () => {
    await established("flush");
    const a = quota({ slots: 1, key: "flush", leaseMs: 600 });
    const b = quota({ slots: 1, key: "flush", leaseMs: 600, maxPollMs: 50 });
    await a.acquire("a1");
    await redis.flushall();
    let granted = false;
    const waiting = b.acquire("b1").then(() => (granted = true));
    // Past the grace period (leaseMs / 2) and two of a's keep-alives, b trying every 50 ms all along.
    await sleep(800);
    expect(granted).toBe(false);
    expect(await redis.zrange("{flush}:leases", "0", "-1")).toEqual([expect.stringMatching(/:a1$/)]);
    await a.release("a1");
    await within(waiting, 5_000);
  });

  it("a stall longer than leaseMs: the keep-alive does not take back the ended lease (its task may have ended too), so no false alarm; renew, called once a poll saw the task running, does and reports the team over its quota", async () => {
    await established("stall");
    const reported: ModellixError[] = [];
    const a = quota({ slots: 1, key: "stall", leaseMs: 600, onError: (error) => reported.push(error) });
    await a.acquire("a1");
    const other = startWorker({ kind: "hold", key: "stall", leaseMs: 600, slots: 1, slotIds: ["w1"], maxPollMs: 50 });
    await eventually(async () => (await redis.zcard("{stall}:queue")) === 1, "the other process to wait for the slot");

    // This process stalls (its event loop blocked) past its lease: the other process takes the slot meanwhile.
    const stalledUntil = performance.now() + 1_500;
    while (performance.now() < stalledUntil) Math.random();
    await within(other.until("held"), 10_000);
    await sleep(400); // two keep-alive rounds (every leaseMs / 3)
    expect(reported).toEqual([]);
    expect(await redis.zrange("{stall}:leases", "0", "-1")).toEqual([expect.stringMatching(/:w1$/)]);

    const error = await Promise.resolve(a.renew("a1")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaLeaseLostError);
    expect(reported).toEqual([error]);
    expect(await redis.zcard("{stall}:leases")).toBe(2);
    other.child.kill("SIGKILL");
  });

  it("a free slot goes to the team's longest waiter, whichever process it waits in: first in, first out across processes", async () => {
    await established("fifo");
    const holder = quota({ slots: 1, key: "fifo" });
    // Only wake-ups can serve them in time: their fallback poll would come after the test's timeout.
    const processes = { a: quota({ slots: 1, key: "fifo", maxPollMs: 60_000 }), b: quota({ slots: 1, key: "fifo", maxPollMs: 60_000 }), c: quota({ slots: 1, key: "fifo", maxPollMs: 60_000 }) };
    await holder.acquire("h");
    const arrivals = ["b1", "a1", "c1", "b2", "a2", "c2", "a3"] as const;
    const served: string[] = [];
    const grants: Array<Promise<void>> = [];
    for (const [i, slotId] of arrivals.entries()) {
      const coordinator = processes[slotId[0] as keyof typeof processes];
      grants.push(
        coordinator.acquire(slotId).then(async () => {
          served.push(slotId);
          await coordinator.release(slotId);
        }),
      );
      await eventually(async () => (await redis.zcard("{fifo}:queue")) === i + 1, `${slotId} to stand in the team's queue`);
    }
    await holder.release("h");
    await within(Promise.all(grants), 10_000);
    expect(served).toEqual(arrivals);
  });

  it("a lost lease whose slot was taken meanwhile is held again above the quota, reported to onError, and nobody starts until the team is under it", async () => {
    await established("over");
    const reported: ModellixError[] = [];
    const a = quota({ slots: 2, key: "over", onError: (error) => reported.push(error) });
    const b = quota({ slots: 2, key: "over" });
    const c = quota({ slots: 2, key: "over", maxPollMs: 60_000 });
    await a.acquire("a1");
    // A stall longer than leaseMs: a1's lease ended, and b took both slots.
    const [member] = await redis.zrange("{over}:leases", "0", "-1");
    await redis.zadd("{over}:leases", 0, String(member));
    await b.acquire("b1");
    await b.acquire("b2");
    const error = await Promise.resolve(a.renew("a1")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaLeaseLostError);
    expect(error).toMatchObject({ slotIds: ["a1"], slots: 2, message: expect.stringContaining("over its quota of 2") });
    expect(reported).toEqual([error]);
    expect(await redis.zcard("{over}:leases")).toBe(3);
    await a.renew("a1"); // reported once: it is held now
    expect(reported).toHaveLength(1);

    let granted = false;
    const waiting = c.acquire("c1").then(() => (granted = true));
    await b.release("b1");
    await settle(redis);
    expect(granted).toBe(false); // a1 and b2 still run: 2 of 2
    await a.release("a1");
    await waiting;
    expect(await redis.zcard("{over}:leases")).toBe(2);
  });

  it("the keep-alive takes back leases lost with Redis's writes (a failover) and reports to onError what it could not take back within the quota", async () => {
    await established("keep");
    fakeTimers();
    const errors: ModellixError[] = [];
    let reported!: () => void;
    const report = new Promise<void>((resolve) => (reported = resolve));
    const a = quota({ slots: 1, key: "keep", leaseMs: 30_000, onError: (error) => {
        errors.push(error);
        reported();
      },
    });
    const b = quota({ slots: 1, key: "keep" });
    await a.acquire("a1");
    // A failover to a replica that had not yet seen a1's lease: the team's marker is there, the lease is not.
    await redis.del("{keep}:leases");
    await b.acquire("b1");
    await vi.advanceTimersByTimeAsync(10_000); // one keep-alive round (every leaseMs / 3)
    await within(report, 5_000);
    expect(errors).toEqual([expect.any(QuotaLeaseLostError)]);
    expect(errors[0]).toMatchObject({ slotIds: ["a1"], slots: 1 });
    expect(await redis.zcard("{keep}:leases")).toBe(2);
  });

  it("keep-alive and renew failures are surfaced: onError gets a ConnectionError and renew rejects with it", async () => {
    await established("down");
    fakeTimers();
    const connection = new Redis({ host: "127.0.0.1", port: server.port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    cleanups.push(() => connection.disconnect());
    let reported!: (error: ModellixError) => void;
    const failure = new Promise<ModellixError>((resolve) => (reported = resolve));
    const a = quota({ redis: connection, slots: 1, key: "down", leaseMs: 3_000, onError: (error) => reported(error) });
    await a.acquire("a1");
    connection.disconnect();
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await within(failure, 5_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("could not keep the quota leases alive");
    await expect(Promise.resolve(a.renew("a1"))).rejects.toBeInstanceOf(ConnectionError);
  });

  it("acquireTimeoutMs rejects a waiting submit with QuotaAcquireTimeoutError and takes no slot; an aborted signal stops the wait too", async () => {
    await established("timeout");
    fakeTimers();
    const a = quota({ slots: 1, key: "timeout" });
    const b = quota({ slots: 1, key: "timeout", acquireTimeoutMs: 5_000, maxPollMs: 60_000 });
    await a.acquire("a1");
    const timedOut = b.acquire("b1").catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await timedOut;
    expect(error).toBeInstanceOf(QuotaAcquireTimeoutError);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5_000, message: expect.stringContaining("nothing was sent") });
    expect(b.waiting).toBe(0);

    const controller = new AbortController();
    const aborted = b.acquire("b2", controller.signal).catch((e: unknown) => e);
    controller.abort(new Error("shutting down"));
    expect(await aborted).toBeInstanceOf(UserAbortError);
    await expect(b.acquire("b3", AbortSignal.abort())).rejects.toBeInstanceOf(UserAbortError);
    expect(b.waiting).toBe(0);

    await a.release("a1");
    await settle(redis);
    expect([b.held, await redis.zcard("{timeout}:leases")]).toEqual([0, 0]);
    expect(await redis.zcard("{timeout}:queue")).toBe(0); // the waiters that gave up left the team's queue
  });

  it("scripts go by EVALSHA: their text is sent once per script, and again only after Redis forgot it", async () => {
    await established("sha");
    await redis.script("FLUSH");
    await redis.config("RESETSTAT");
    const a = quota({ slots: 1, key: "sha" });
    for (let i = 0; i < 10; i++) {
      await a.acquire(`t${i}`);
      await a.renew(`t${i}`);
      await a.release(`t${i}`);
    }
    const afterLoad = await commandCalls(redis);
    expect(afterLoad.eval).toBeLessThanOrEqual(3); // acquire, keep-alive, release: once each, on NOSCRIPT
    expect(afterLoad.evalsha).toBeGreaterThanOrEqual(30);

    await redis.script("FLUSH");
    await a.acquire("again");
    await a.release("again");
    expect((await commandCalls(redis)).eval - afterLoad.eval).toBeLessThanOrEqual(2);
    expect(await redis.zcard("{sha}:leases")).toBe(0);
  });

  it("an unreachable Redis, with maxOutageMs 0, rejects a waiting acquire at once with a ConnectionError saying nothing was sent", async () => {
    const unreachable = new Redis({ host: "127.0.0.1", port: await freePort(), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    unreachable.on("error", () => undefined);
    cleanups.push(() => unreachable.disconnect());
    const q = quota({ redis: unreachable, maxOutageMs: 0 });
    const error = await q.acquire("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ requestSent: false, message: expect.stringContaining("Redis quota coordinator") });
    expect(q.waiting).toBe(0);
  });

  it("a process killed while holding slots leaks none: its leases end, then another process gets them", async () => {
    const leaseMs = 500;
    const victim = startWorker({ kind: "hold", key: "crash", leaseMs, slots: 3, slotIds: ["v0", "v1", "v2"] });
    await victim.until("held");
    victim.child.kill("SIGKILL");
    expect(await redis.zcard("{crash}:leases")).toBe(3);

    const survivor = quota({ slots: 3, key: "crash", leaseMs, maxPollMs: 100 });
    const grants = ["s0", "s1", "s2"].map((slotId) => survivor.acquire(slotId));
    await Promise.all(grants);
    const members = await redis.zrange("{crash}:leases", "0", "-1");
    expect(members.map((member) => member.slice(-3)).sort()).toEqual([":s0", ":s1", ":s2"]);
  });

  it("a worker restarted with the same instanceId frees the slots its crashed predecessor left, at start: not the others', not after leaseMs", async () => {
    await established("restart");
    const leaseMs = 60_000; // longer than the test: only the restart can free the slots
    const predecessor = startWorker({ kind: "hold", key: "restart", leaseMs, slots: 4, slotIds: ["v0", "v1", "v2"], instanceId: "worker-7" });
    await predecessor.until("held");
    const neighbour = startWorker({ kind: "hold", key: "restart", leaseMs, slots: 4, slotIds: ["n0"], instanceId: "worker-70" });
    await neighbour.until("held");
    predecessor.child.kill("SIGKILL");
    expect(await redis.zcard("{restart}:leases")).toBe(4);

    const restarted = quota({ slots: 4, key: "restart", leaseMs, instanceId: "worker-7" });
    await eventually(async () => (await redis.zcard("{restart}:leases")) === 1, "the predecessor's three slots to be freed");
    expect(await redis.zrange("{restart}:leases", "0", "-1")).toEqual(["worker-70:n0"]);
    await Promise.all(["s0", "s1", "s2"].map((slotId) => within(restarted.acquire(slotId), 5_000)));
    expect((await redis.zrange("{restart}:leases", "0", "-1")).sort()).toEqual(["worker-70:n0", "worker-7:s0", "worker-7:s1", "worker-7:s2"]);
  });

  it("runs on a 3-master Redis Cluster with sharded pub/sub: the keys and the shard channel live on one node, and a release wakes the other coordinator", async () => {
    const { nodes } = await cluster3;
    const admins = nodes.map((node) => {
      const admin = new Redis({ host: "127.0.0.1", port: node.port });
      cleanups.push(() => admin.quit());
      return admin;
    });
    const cluster = new Cluster([{ host: "127.0.0.1", port: nodes[0]!.port }]);
    cleanups.push(() => cluster.quit());
    await established("team", cluster);
    const keySlot = (name: string) => admins[0]!.call("CLUSTER", "KEYSLOT", name);
    const slot = await keySlot("{team}:leases");
    for (const name of ["{team}:released", "{team}:queue", "{team}:queue-alive", "{team}:epoch"]) expect(await keySlot(name)).toBe(slot);

    const a = quota({ redis: cluster, slots: 1, key: "team" });
    const b = quota({ redis: cluster, slots: 1, key: "team", maxPollMs: 60_000 }); // only a wake-up can grant it in time
    await a.acquire("a1");
    const waiting = b.acquire("b1");
    await eventually(async () => (await cluster.zcard("{team}:queue")) === 1, "b1 to wait in the team's queue");
    // Both coordinators listen on the shard channel, on the node that owns the slot only; nobody uses classic pub/sub.
    const count = async (admin: Redis, kind: "SHARDNUMSUB" | "NUMSUB") => Number(((await admin.call("PUBSUB", kind, "{team}:released")) as unknown[])[1]);
    const sharded = await Promise.all(admins.map((admin) => count(admin, "SHARDNUMSUB")));
    expect(sharded.sort()).toEqual([0, 0, 2]);
    expect(await Promise.all(admins.map((admin) => count(admin, "NUMSUB")))).toEqual([0, 0, 0]);

    await a.release("a1");
    await within(waiting, 5_000);
    await b.renew("b1");
    await b.release("b1", { afterMs: 60_000 });
    expect(await cluster.zcard("{team}:leases")).toBe(1);
  });

  /** A redis-server of a test's own, for an outage: `halt()` stops it (saving its data), `restart()` brings it back with that data. */
  const outageServer = async () => {
    const started = await startRedis(["--shutdown-on-sigterm", "save"]);
    cleanups.push(() => started.stop());
    return started;
  };

  /** A connection to `port` on which a command fails as soon as Redis is found down (no waiting in ioredis's offline queue), and that reconnects every 50 ms. */
  const flakyConnection = (port: number) => {
    const connection = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    connection.on("error", () => undefined);
    cleanups.push(() => connection.disconnect());
    return connection;
  };

  /** A connection to `port` whose commands wait through an outage. */
  const patientConnection = (port: number) => {
    const connection = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    connection.on("error", () => undefined);
    cleanups.push(() => connection.disconnect());
    return connection;
  };

  it("a release that fails while Redis is down is retried until Redis confirms it: the slot is back soon after Redis, not when its lease ends", async () => {
    const outage = await outageServer();
    const admin = patientConnection(outage.port);
    await established("retry", admin);
    const connection = flakyConnection(outage.port);
    const errors: ModellixError[] = [];
    const a = quota({ redis: connection, slots: 1, key: "retry", leaseMs: 60_000, maxPollMs: 100, onError: (error) => errors.push(error) });
    const b = quota({ redis: patientConnection(outage.port), slots: 1, key: "retry", leaseMs: 60_000, maxPollMs: 100 });
    await a.acquire("a1");
    let granted = false;
    const waiting = b.acquire("b1").then(() => (granted = true));

    await outage.halt();
    let released = false;
    const release = Promise.resolve(a.release("a1")).then(() => (released = true));
    await reconnects(connection, 3); // each failed reconnect fails the commands sent meanwhile: the release has failed by now
    expect([released, granted, a.held]).toEqual([false, false, 1]);

    await outage.restart();
    await within(release, 10_000);
    await within(waiting, 10_000);
    expect(a.held).toBe(0);
    expect(await admin.zrange("{retry}:leases", "0", "-1")).toEqual([expect.stringMatching(/:b1$/)]);
    expect(errors.filter((error) => error.message.includes("give back"))).toEqual([]);
  });

  it("a release that cannot reach Redis before the lease would have ended gives up then: it rejects with ConnectionError and the slot no longer counts", async () => {
    const outage = await outageServer();
    const a = quota({ redis: flakyConnection(outage.port), slots: 1, key: "expired", leaseMs: 300, maxPollMs: 50, onError: () => undefined });
    await a.acquire("a1");
    await outage.halt();
    const error = await within(Promise.resolve(a.release("a1")).catch((e: unknown) => e), 10_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ requestSent: false, message: expect.stringContaining("could not give back a slot") });
    expect(a.held).toBe(0);
  });

  it("waiting submits wait through a Redis outage shorter than maxOutageMs, whether their commands fail at once or hang in ioredis's queue, and fail with ConnectionError past it", async () => {
    const outage = await outageServer();
    const admin = patientConnection(outage.port);
    await established("outage", admin);
    const holder = quota({ redis: patientConnection(outage.port), slots: 1, key: "outage", maxPollMs: 50 });
    await holder.acquire("h");
    // Its commands fail at once while Redis is down (ioredis with maxRetriesPerRequest: 0): it tries again, for maxOutageMs (60 s).
    const failingConnection = flakyConnection(outage.port);
    const failFast = quota({ redis: failingConnection, slots: 1, key: "outage", maxPollMs: 50 });
    const waiting = failFast.acquire("f1");
    await eventually(async () => (await admin.zcard("{outage}:queue")) === 1, "f1 to wait");

    await outage.halt();
    // Its commands wait in ioredis's offline queue (maxRetriesPerRequest: null, as they do for ~70 s with ioredis 6's defaults): it stops after its 300 ms.
    const impatient = quota({ redis: patientConnection(outage.port), slots: 1, key: "outage", maxPollMs: 50, maxOutageMs: 300 });
    const error = await within(impatient.acquire("i1").catch((e: unknown) => e), 10_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ requestSent: false, message: expect.stringContaining("maxOutageMs") });
    expect(impatient.waiting).toBe(0);
    const short = quota({ redis: flakyConnection(outage.port), slots: 1, key: "outage", maxPollMs: 50, maxOutageMs: 300 });
    const failure = await within(short.acquire("s1").catch((e: unknown) => e), 10_000);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).toMatchObject({ requestSent: false, message: expect.stringContaining("maxOutageMs") });
    await reconnects(failingConnection, 3); // f1's tries have failed meanwhile
    expect(failFast.waiting).toBe(1);

    await outage.restart();
    await holder.release("h");
    await within(waiting, 10_000);
    expect(await admin.zrange("{outage}:leases", "0", "-1")).toEqual([expect.stringMatching(/:f1$/)]);
  });

  describe("wired into a Modellix client", () => {
    const GET = { method: "GET" };

    /**
     * A fake Modellix whose tasks end when the test calls `finish()` (its clock
     * moves only then), and that does not enforce the quota: what it sees is
     * what the SDK sends. The client polls every 10 ms.
     */
    const setupClient = (coordinator: QuotaCoordinator, options: ModellixOptions = {}) => {
      let now = Date.now();
      const fake = new FakeModellix({ clock: { now: () => now }, maxConcurrentTasks: 100, durationMs: 1_000 });
      const warnings: string[] = [];
      const logger: Logger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
        error: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
      };
      const client = new Modellix({
        apiKey: "mlx-redis-test-key",
        baseURL: "https://api.modellix.test",
        fetch: fake.fetch,
        quota: coordinator,
        pollInterval: { initialMs: 10, factor: 1, maxMs: 10 },
        logger,
        logLevel: "warn",
        ...options,
      });
      return {
        fake,
        client,
        warnings,
        /** Ends every task submitted so far. */
        finish: () => {
          now += 1_000;
        },
        /** The prompts of the tasks the fake created, in order: which submits were sent. */
        sent: () => fake.tasks.map((task) => task.input.prompt),
      };
    };

    it("client.queue.clear() refuses the submits waiting for a local or a shared slot: none is sent, none keeps a lease, the running task goes on", async () => {
      await established("clear");
      const elsewhere = quota({ slots: 2, key: "clear" }); // another process of the team
      await elsewhere.acquire("x");
      const shared = quota({ slots: 2, key: "clear", maxPollMs: 100 });
      const { client, finish, sent, fake } = setupClient(shared, { maxConcurrentTasks: 2 });
      const running = await client.t2i.submit({ prompt: "a" });
      const waiting = ["b", "c"].map((prompt) => client.t2i.submit({ prompt }).catch((error: unknown) => error));
      // b holds the second local slot and waits for the team's; c waits for a local one.
      await eventually(() => shared.waiting === 1 && client.queue.waiting === 2, "b and c to wait");

      client.queue.clear();
      const refused = await within(Promise.all(waiting), 5_000);
      for (const error of refused) {
        expect(error).toBeInstanceOf(UserAbortError);
        expect(error).toHaveProperty("message", expect.stringContaining("client.queue.clear()"));
      }
      expect([client.queue.waiting, client.queue.running, shared.waiting]).toEqual([0, 1, 0]);

      await elsewhere.release("x"); // a team slot comes free: nothing of this client may take it
      await settle(redis);
      finish();
      expect((await within(running.wait(), 10_000)).id).toBe(running.id);
      await eventually(() => client.queue.running === 0, "the slot of the ended task to be given back");
      expect(sent()).toEqual(["a"]);
      expect(fake.maxConcurrentObserved).toBe(1);
      expect(await redis.zcard("{clear}:leases")).toBe(0);
    });

    it("Redis down while a task is polled: polling goes on, the failed renews are logged, wait() resolves, and the slot is given back once Redis is back", async () => {
      const outage = await outageServer();
      const admin = patientConnection(outage.port);
      await established("down", admin);
      const connection = flakyConnection(outage.port);
      const shared = quota({ redis: connection, slots: 1, key: "down", leaseMs: 60_000, maxPollMs: 100, onError: () => undefined });
      const { client, finish, sent, fake, warnings } = setupClient(shared, { maxConcurrentTasks: 1 });
      const task = await client.t2i.submit({ prompt: "a" });
      await eventually(() => fake.countRequests(GET) >= 2, "the task to be polled");

      await outage.halt();
      const polls = fake.countRequests(GET);
      await eventually(() => warnings.some((warning) => warning.includes(task.id)), "a warning naming the task");
      await eventually(() => fake.countRequests(GET) >= polls + 5, "polling to go on while Redis is down");
      finish();
      const result = await within(task.wait(), 10_000);
      expect(result).toMatchObject({ id: task.id, resources: [expect.objectContaining({ type: "image" })] });

      // The task ended, but Redis still holds its lease until the release gets through: the next submit waits.
      const next = client.t2i.submit({ prompt: "b" });
      await reconnects(connection, 3);
      expect([sent(), client.queue.running, client.queue.waiting]).toEqual([["a"], 1, 1]);

      await outage.restart();
      const second = await within(next, 10_000);
      expect(sent()).toEqual(["a", "b"]);
      expect(await admin.zcard("{down}:leases")).toBe(1); // b's lease; a's was given back
      finish();
      await within(second.wait(), 10_000);
      await eventually(() => client.queue.running === 0, "b's slot to be given back");
      expect(await admin.zcard("{down}:leases")).toBe(0);
      expect(fake.maxConcurrentObserved).toBe(1);
    });

    it("a lease found lost at a poll, its slot taken by another process meanwhile: logged, polling goes on, and wait() resolves with the result", async () => {
      await established("stolen");
      const shared = quota({ slots: 1, key: "stolen", onError: () => undefined });
      const { client, finish, fake, warnings } = setupClient(shared);
      const task = await client.t2i.submit({ prompt: "a" });
      const [member] = await redis.zrange("{stolen}:leases", "0", "-1");
      // The lease vanished (a stall, a restart without data) and another process took the only slot.
      await redis.multi().zrem("{stolen}:leases", String(member)).zadd("{stolen}:leases", Date.now() + 600_000, "another-process:slot").exec();

      await eventually(() => warnings.some((warning) => warning.includes(task.id)), "a warning naming the task");
      const polls = fake.countRequests(GET);
      await eventually(() => fake.countRequests(GET) >= polls + 3, "polling to go on");
      finish();
      const result = await within(task.wait(), 10_000);
      expect(result).toMatchObject({ id: task.id, resources: [expect.objectContaining({ type: "image" })] });
      await eventually(() => client.queue.running === 0, "the slot to be given back");
      expect(await redis.zrange("{stolen}:leases", "0", "-1")).toEqual(["another-process:slot"]);
    });

    it("a submit cancelled while it waits for the shared quota is refused with UserAbortError, sends nothing, and the slot goes to the next submit", async () => {
      await established("cancel");
      const elsewhere = quota({ slots: 1, key: "cancel" });
      await elsewhere.acquire("x");
      const shared = quota({ slots: 1, key: "cancel", maxPollMs: 100 });
      const { client, finish, sent } = setupClient(shared);
      const controller = new AbortController();
      const cancelled = client.t2i.submit({ prompt: "a" }, { signal: controller.signal }).catch((error: unknown) => error);
      const next = client.t2i.submit({ prompt: "b" });
      await eventually(() => shared.waiting === 2, "both submits to wait for the team's slot");

      controller.abort();
      expect(await within(cancelled, 5_000)).toBeInstanceOf(UserAbortError);
      expect([client.queue.waiting, shared.waiting]).toEqual([1, 1]);
      await elsewhere.release("x");
      const task = await within(next, 10_000);
      expect(sent()).toEqual(["b"]);
      finish();
      await within(task.wait(), 10_000);
      await eventually(() => client.queue.running === 0, "b's slot to be given back");
      expect(await redis.zcard("{cancel}:leases")).toBe(0);
    });

    it("a submit cancelled just as the shared quota grants its slot gives that slot back: nothing is sent, and the next submit gets the slot", async () => {
      await established("granted");
      const shared = quota({ slots: 1, key: "granted" });
      const controller = new AbortController();
      // The caller's cancel lands right after Redis granted the slot, before the submit could use it.
      const cancelAtGrant: QuotaCoordinator = {
        acquire: async (slotId, signal) => {
          await shared.acquire(slotId, signal);
          controller.abort();
        },
        release: (slotId, options) => shared.release(slotId, options),
        renew: (slotId) => shared.renew(slotId),
      };
      const { client, finish, sent } = setupClient(cancelAtGrant);
      expect(await client.t2i.submit({ prompt: "a" }, { signal: controller.signal }).catch((error: unknown) => error)).toBeInstanceOf(UserAbortError);
      const task = await within(client.t2i.submit({ prompt: "b" }), 5_000);
      expect(sent()).toEqual(["b"]);
      expect(await redis.zrange("{granted}:leases", "0", "-1")).toHaveLength(1);
      finish();
      await within(task.wait(), 10_000);
      await eventually(() => client.queue.running === 0, "b's slot to be given back");
      expect([shared.held, await redis.zcard("{granted}:leases")]).toEqual([0, 0]);
    });

    /** A fetch that never answers (a lost connection), but stops when its signal aborts, as every fetch does. */
    const unanswered = (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });

    it("a batch journal written on a machine whose clock runs ahead: the slot kept for an item whose outcome is unknown is held for the hold, not for the skew too", async () => {
      await established("skew");
      const items = ["x", "y"].map((prompt) => ({ type: "t2i", model: "bytedance/seedream-4.5-t2i", prompt, size: "2048x2048" }));
      // Machine A sent x's POST, got no answer and stopped; its clock is 10 minutes ahead of this machine's.
      const journal = new MemoryJournal();
      const machineA = new Modellix({ apiKey: "mlx-redis-test-key", baseURL: "https://api.modellix.test", fetch: unanswered, logLevel: "error" });
      const stop = new AbortController();
      const stopped = machineA.batch(items.slice(0, 1), { journal, signal: stop.signal });
      await eventually(async () => (await journal.read()).some((entry) => entry.event === "intent"), "x's intent to be journaled");
      stop.abort();
      await within(Promise.resolve(stopped), 5_000);
      const ahead = (await journal.read()).map((entry) => ({ ...entry, at: new Date(Date.parse(entry.at) + 10 * 60_000).toISOString() }));

      // This machine resumes it with one slot: x is reported, its slot kept 300 ms (quotaHoldMs), then y goes.
      const shared = quota({ slots: 1, key: "skew" });
      const { client, finish, sent } = setupClient(shared, { maxConcurrentTasks: 1, quotaHoldMs: 300 });
      const run = client.batch(items, { journal: new MemoryJournal(ahead) });
      await eventually(() => sent().includes("y"), "y to be sent once x's hold is over");
      finish();
      const [x, y] = await within(Promise.resolve(run), 10_000);
      expect(x).toMatchObject({ ok: false, error: expect.any(SubmitOutcomeUnknownError) });
      expect(y).toMatchObject({ ok: true });
      expect(sent()).toEqual(["y"]);
    });
  });

  /**
   * End to end through the SDK (needs the rebuilt core and the fake server's
   * `/api/v1/...` routes): several processes share quota 3 and the server
   * never sees more, nor answers 429. No timing is asserted (see `npm run bench`).
   */
  it("4 worker processes, 40 tasks, quota 3: never more than 3 at the server, no 429, every lease given back", async () => {
    await established("team");
    const fake: FakeServer = await createFakeServer({ maxConcurrentTasks: 3, rateLimit: 1_000_000, pendingMs: 20, durationMs: 80 });
    cleanups.push(() => fake.close());
    const workers = Array.from({ length: 4 }, (_, w) =>
      startWorker({ kind: "client", key: "team", leaseMs: 2_000, baseURL: fake.url, pollMs: 20, prompts: Array.from({ length: 10 }, (_, i) => `w${w} task ${i}`) }),
    );
    await Promise.all(workers.map((worker) => worker.until("ready")));
    for (const worker of workers) worker.child.send("go");
    const failures = (await Promise.all(workers.map((worker) => worker.until("done")))).flatMap((message) => message.failures);

    const { stats } = fake.fake;
    expect(failures).toEqual([]);
    expect(stats.tasksCreated).toBe(40);
    expect(stats.maxConcurrentObserved).toBeLessThanOrEqual(3);
    expect(stats.tooManyRequests).toEqual({ concurrency: 0, rateLimit: 0, injected: 0 });
    expect(await redis.zcard("{team}:leases")).toBe(0);
  }, 30_000);

  it("8 worker processes on quota 3: a FLUSHALL and a restart of Redis without its data, mid-run, leave the peak at the server at 3", async () => {
    const own = await startRedis(); // no persistence: a restart comes back empty
    cleanups.push(() => own.stop());
    const admin = new Redis({ host: "127.0.0.1", port: own.port });
    admin.on("error", () => undefined);
    cleanups.push(() => admin.disconnect());
    await established("peak", admin);
    // The fake does not enforce the quota: the peak it sees is what the SDK sent.
    const fake: FakeServer = await createFakeServer({ maxConcurrentTasks: 100, rateLimit: 1_000_000, pendingMs: 50, durationMs: 500 });
    cleanups.push(() => fake.close());
    const workers = Array.from({ length: 8 }, (_, w) =>
      startWorker({ kind: "client", key: "peak", leaseMs: 4_000, baseURL: fake.url, pollMs: 25, prompts: Array.from({ length: 4 }, (_, i) => `w${w} task ${i}`) }, own.port),
    );
    await Promise.all(workers.map((worker) => worker.until("ready")));
    for (const worker of workers) worker.child.send("go");
    await eventually(() => fake.fake.stats.tasksCreated >= 6, "6 tasks to be created");
    await admin.flushall();
    await eventually(() => fake.fake.stats.tasksCreated >= 16, "16 tasks to be created");
    await own.restart();
    const done = await Promise.all(workers.map((worker) => worker.until("done")));

    expect(done.flatMap((message) => message.failures)).toEqual([]);
    expect(done.flatMap((message) => message.errors).filter((name) => name === "QuotaLeaseLostError")).toEqual([]);
    expect(fake.fake.stats.tasksCreated).toBe(32);
    expect(fake.fake.maxConcurrentObserved).toBeLessThanOrEqual(3);
    expect(fake.fake.stats.tooManyRequests.concurrency).toBe(0);
  }, 90_000);

  interface Worker {
    child: ChildProcess;
    /** Resolves with the first message of `type` the worker sent; rejects if it exits first. */
    until<T extends WorkerMessage["type"]>(type: T): Promise<Extract<WorkerMessage, { type: T }>>;
  }

  /** Forks test/redis-worker.ts under tsx and sends it its work, on the suite's Redis or the one at `redisPort`. */
  function startWorker(work: DistributiveOmit<WorkerStart, "type" | "redisPort">, redisPort = server.port): Worker {
    const child = fork(fileURLToPath(new URL("./redis-worker.ts", import.meta.url)), [], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.add(child);
    const messages: WorkerMessage[] = [];
    const waiters = new Set<() => void>();
    child.on("message", (message: WorkerMessage) => {
      messages.push(message);
      for (const wake of [...waiters]) wake();
    });
    child.send({ type: "start", redisPort, ...work } as WorkerStart);
    return {
      child,
      until: <T extends WorkerMessage["type"]>(type: T) =>
        new Promise<Extract<WorkerMessage, { type: T }>>((resolve, reject) => {
          const check = () => {
            const found = messages.find((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);
            if (!found) return;
            waiters.delete(check);
            resolve(found);
          };
          waiters.add(check);
          child.once("exit", (code) => reject(new Error(`worker exited (${String(code)}) before sending ${type}`)));
          check();
        }),
    };
  }
});

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A few round trips to Redis: time for coordinators to act on what just
 * happened (a try, a pub/sub wake-up) before a test checks that something
 * did NOT happen. Not a clock: it makes such checks likely to see a wrong
 * grant, never makes a correct run fail.
 */
async function settle(redis: Redis): Promise<void> {
  for (let i = 0; i < 10; i++) await redis.ping();
}

/** Waits (in real time, up to 10 s) until `check()` is true; fails naming `what` it waited for. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; !(await check()); tries++) {
    if (tries === 1_000) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
}

/** Resolves after `connection` has started `count` more reconnects: each one follows a failed attempt. */
function reconnects(connection: Redis, count: number): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      let seen = 0;
      const onReconnecting = () => {
        if (++seen < count) return;
        connection.off("reconnecting", onReconnecting);
        resolve();
      };
      connection.on("reconnecting", onReconnecting);
    }),
    10_000,
  );
}

/** `promise`, or a failure after `ms` of real time (a test that would otherwise hang until the suite's timeout). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new Error(`nothing happened within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => realClearTimeout(timer));
  });
}
const realSetTimeout = globalThis.setTimeout;

/** Real time passing, for things that must NOT happen meanwhile (the coordinators try many times in it). Never asserted on. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
const realClearTimeout = globalThis.clearTimeout;

/** Calls per command since the last `CONFIG RESETSTAT`, from `INFO commandstats`. */
async function commandCalls(redis: Redis): Promise<{ eval: number; evalsha: number }> {
  const info = await redis.info("commandstats");
  const calls = (name: string) => Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, "m").exec(info)?.[1] ?? 0);
  return { eval: calls("eval"), evalsha: calls("evalsha") };
}
