import { spawnSync } from "node:child_process";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import Modellix, {
  UserAbortError,
  BadRequestError,
  InvalidResponseError,
  ModellixError,
  type QuotaCoordinator,
  RateLimitError,
  SubmitOutcomeUnknownError,
  TaskFailedError,
  ValidationError,
} from "modellix";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "../helpers.js";

// Issue 11: each test here failed against the hand-written core it replaced.
useFakeTimersInEachTest();

const POST = { method: "POST" };
const GET = { method: "GET" };
const envelope = (data: unknown, code = 0, message = "success") => Response.json({ code, message, data });

/** A client whose `fetch` answers with `answer(request, index)`; `requests` records them. */
function scripted(answer: (request: Request, index: number) => Response | Promise<Response>, options: ConstructorParameters<typeof Modellix>[0] = {}) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return answer(request, requests.length - 1);
  };
  const client = new Modellix({ apiKey: secretKey, baseURL: "https://api.modellix.test", fetch, logLevel: "off", ...options });
  return { client, requests };
}

/** Submits answer with a task id; reads answer `statusOf(readIndex)`. */
function taskScript(statusOf: (read: number) => Record<string, unknown>, options?: ConstructorParameters<typeof Modellix>[0]) {
  let reads = 0;
  return scripted(async (request) => {
    if (request.method === "POST") return envelope({ status: "pending", task_id: `task-${Math.random().toString(36).slice(2, 8)}` });
    return envelope({ task_id: request.url.split("/").pop(), ...statusOf(reads++) });
  }, options);
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

/** A real HTTP server on 127.0.0.1 (redirects and compressed bodies need real sockets). */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("1. aborting a submit after the POST was sent", () => {
  it("is SubmitOutcomeUnknownError (reason aborted) and the quota slot stays taken", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 1, quotaHoldMs: 30_000 });
    fake.inject({ kind: "delay-after-create", ms: 60_000 }, { match: POST });
    const controller = new AbortController();
    const submit = client.t2i.submit({ prompt: "x" }, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    const error = (await driveToError(submit)) as SubmitOutcomeUnknownError;
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error.reason).toBe("aborted");
    expect(fake.tasks).toHaveLength(1);
    const next = client.t2i.submit({ prompt: "y" });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fake.countRequests(POST)).toBe(1);
    await drive(next);
    expect(fake.countRequests(POST)).toBe(2);
  });

  it("an abort before anything was sent is a plain UserAbortError and sends nothing", async () => {
    const { fake, client } = setup();
    const error = await driveToError(client.t2i.submit({ prompt: "x" }, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(UserAbortError);
    expect(fake.countRequests(POST)).toBe(0);
  });
});

describe("2. an onProgress that throws", () => {
  it("fails only its own wait; another wait on the same task still gets the result", async () => {
    const { client } = setup();
    const task = await client.t2i.submit({ prompt: "x" });
    const boom = new Error("my UI broke");
    const failing = task.wait({
      onProgress: () => {
        throw boom;
      },
    });
    const other = task.wait();
    expect(await driveToError(failing)).toBe(boom);
    await expect(drive(other)).resolves.toMatchObject({ id: task.id });
  });
});

describe("3. a wait in the same tick after an aborted wait on a retrieved task", () => {
  it("does not attach to a dead loop", async () => {
    const { fake, client } = setup();
    const submitted = await setup({ fetch: fake.fetch }).client.t2i.submit({ prompt: "x" });
    const task = client.tasks.retrieve(submitted.id);
    const controller = new AbortController();
    const first = task.wait({ signal: controller.signal });
    controller.abort();
    const second = task.wait();
    expect(await driveToError(first)).toBeInstanceOf(UserAbortError);
    await expect(drive(second)).resolves.toMatchObject({ id: submitted.id });
  });
});

describe("4. a network outage while polling", () => {
  it("does not end a wait before its own timeout; polling goes on and the result comes", async () => {
    const { fake, client } = setup();
    const task = await client.t2i.submit({ prompt: "x" });
    fake.inject({ kind: "reset" }, { match: GET, times: 12 });
    await expect(drive(task.wait(), { stepMs: 500 })).resolves.toMatchObject({ id: task.id });
    expect(fake.countRequests(GET)).toBeGreaterThan(12);
  });
});

describe("5. durations Node cannot hold", () => {
  it("are refused before anything is sent; Infinity means no timeout", async () => {
    const { fake, client } = setup();
    for (const timeout of [2 ** 31, Number.NaN, -1]) {
      await expect(client.t2i.submit({ prompt: "x" }, { timeout })).rejects.toBeInstanceOf(ValidationError);
    }
    expect(fake.countRequests(POST)).toBe(0);
    const task = await client.t2i.submit({ prompt: "x" }, { timeout: Number.POSITIVE_INFINITY });
    await expect(task.wait({ timeout: 2 ** 31 })).rejects.toBeInstanceOf(ValidationError);
    await expect(drive(task.wait({ timeout: Number.POSITIVE_INFINITY }))).resolves.toMatchObject({ id: task.id });
  });

  it("waitTimeouts is read by own keys only", async () => {
    const { fake, client } = setup({ waitTimeouts: {} });
    const id = (await setup({ fetch: fake.fetch }).client.t2i.submit({ prompt: "x" })).id;
    await expect(drive(client.tasks.retrieve(id, { type: "constructor" }).wait())).resolves.toMatchObject({ id });
  });
});

describe("6. maxResponseBytes", () => {
  it("counts decoded bytes, not a compressed Content-Length", async () => {
    vi.useRealTimers();
    const huge = gzipSync(Buffer.from(JSON.stringify({ code: 0, message: "success", data: { pad: "0".repeat(2_000_000) } })));
    const base = await listen((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": huge.length });
      response.end(huge);
    });
    const client = new Modellix({ apiKey: secretKey, baseURL: base, maxRetries: 0, maxResponseBytes: 100_000, logLevel: "off" });
    const error = await client.tasks.retrieve("t").status().catch((e: unknown) => e);
    expect(huge.length).toBeLessThan(100_000);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("maxResponseBytes");
  });
});

describe("7. server-requested waits in the past", () => {
  it("fall back to backoff; small reset numbers are seconds from now; ms timestamps are read as ms", async () => {
    const waits: number[] = [];
    const started: number[] = [];
    const resets = [() => String(Math.floor(Date.now() / 1000) - 60), () => "5", () => String(Date.now() + 3_000)];
    const { client } = scripted((_request, index) => {
      started.push(Date.now());
      if (index < resets.length) {
        return Response.json(
          { code: 429, message: "Too Many Requests: slow down" },
          { status: 429, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": resets[index]?.() ?? "" } },
        );
      }
      if (index === resets.length) return Response.json({ code: 429, message: "Too Many Requests" }, { status: 429, headers: { "retry-after": new Date(Date.now() - 60_000).toUTCString() } });
      return envelope({ task_id: "t", status: "pending" });
    }, { maxRetries: 5 });
    await drive(client.tasks.retrieve("t").status(), { stepMs: 100 });
    for (let i = 1; i < started.length; i++) waits.push((started[i] as number) - (started[i - 1] as number));
    expect(waits[0]).toBeGreaterThanOrEqual(1000); // reset in the past: backoff 1 s (up to twice that), not 0
    expect(waits[0]).toBeLessThanOrEqual(2100);
    expect(waits[1]).toBeGreaterThanOrEqual(5_000); // "5": five seconds from now
    expect(waits[1]).toBeLessThan(6_000);
    expect(waits[2]).toBeGreaterThanOrEqual(2_900); // a millisecond timestamp 3 s ahead
    expect(waits[2]).toBeLessThan(3_500);
    // Retry-After date in the past: backoff, the second one (the server-requested waits used up no retry): 2 s, up to twice that.
    expect(waits[3]).toBeGreaterThanOrEqual(2_000);
    expect(waits[3]).toBeLessThanOrEqual(4_100);
  });
});

describe("8. redirects", () => {
  it.each([307, 308, 301, 302, 303])("a paid POST answered %i is neither sent again nor turned into a GET", async (status) => {
    vi.useRealTimers();
    const seen: string[] = [];
    const base = await listen((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(status, { location: "/api/v1/elsewhere" });
      response.end();
    });
    const client = new Modellix({ apiKey: secretKey, baseURL: base, logLevel: "off" });
    const error = (await client.t2i.submit({ prompt: "x" }).catch((e: unknown) => e)) as SubmitOutcomeUnknownError;
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error.reason).toBe("redirected");
    expect(seen).toEqual(["POST /api/v1/google/nano-banana-2-lite"]);
  });
});

describe("9. a 2xx envelope with an error code on a submit", () => {
  it("with a task id: the task is kept, the POST is not sent again", async () => {
    const { client, requests } = scripted((request) =>
      request.method === "POST" ? envelope({ task_id: "task-kept", status: "pending" }, 503, "Service Unavailable: busy") : envelope({ task_id: "task-kept", status: "pending" }),
    );
    const task = await client.t2i.submit({ prompt: "x" });
    expect(task.id).toBe("task-kept");
    expect(requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("without one: the outcome is unknown, and nothing is sent again", async () => {
    const { client, requests } = scripted(() => envelope(null, 429, "Too Many Requests: later"));
    const error = await driveToError(client.t2i.submit({ prompt: "x" }));
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(requests).toHaveLength(1);
  });
});

describe("10. a status the SDK does not know", () => {
  it.each(["canceled", "expired", "constructor", "__proto__"])("%j ends the wait with TaskFailedError and frees the slot", async (status) => {
    const { client, requests } = taskScript(() => ({ status }), { maxConcurrentTasks: 1 });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }).wait())) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.detail).toContain(status);
    expect(error.taskId).toMatch(/^task-/);
    await drive(client.t2i.submit({ prompt: "y" }));
    expect(requests.filter((request) => request.method === "POST")).toHaveLength(2);
  });
});

describe("11. readings keep their order", () => {
  it("a slow processing answer never replaces a newer success", async () => {
    const { client } = scripted(async (request, index) => {
      if (request.method === "POST") return envelope({ task_id: "task-o", status: "pending" });
      if (index === 1) await new Promise((resolve) => setTimeout(resolve, 5_000));
      return envelope({ task_id: "task-o", status: index === 1 ? "processing" : "success", result: { resources: [{ url: "https://cdn.test/a.png", type: "image" }] } });
    }, { pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    const task = await client.t2i.submit({ prompt: "x" });
    const slow = task.status();
    const fast = await drive(task.status());
    expect(fast.status).toBe("success");
    await drive(slow);
    expect(task.latest?.status).toBe("success");
  });
});

describe("12. redaction", () => {
  const leaks = (text: string) => [...Array(secretKey.length - 7).keys()].some((start) => text.includes(secretKey.slice(start, start + 8)));
  const visible = (error: unknown) => JSON.stringify({ message: (error as Error).message, body: (error as { body?: unknown }).body, json: error });

  it("scrubs the key before cutting a long body, and from an InvalidResponseError's body", async () => {
    const cut = scripted(() => new Response(`${"x".repeat(1_995)}${secretKey}`, { status: 400 }), { maxRetries: 0 });
    const across = await driveToError(cut.client.tasks.retrieve("t").status());
    expect(leaks(visible(across))).toBe(false);
    const unreadable = scripted(() => new Response(`<html>${secretKey}</html>`, { status: 200 }), { maxRetries: 0 });
    const invalid = await driveToError(unreadable.client.tasks.retrieve("t").status());
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect(leaks(visible(invalid))).toBe(false);
  });

  it("a deeply nested error body on a paid POST still gives SubmitOutcomeUnknownError", async () => {
    const nested = `${'{"a":'.repeat(5_000)}"${secretKey}"${"}".repeat(5_000)}`;
    const { client } = scripted(() => new Response(`{"code":500,"message":"Internal Server Error: x","data":${nested}}`, { status: 500 }));
    const error = await driveToError(client.t2i.submit({ prompt: "x" }));
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    let body = (error as { cause: { body: { data: unknown } } }).cause.body.data;
    while (typeof body === "object" && body !== null) body = (body as { a: unknown }).a;
    expect(body).toBe("[redacted]");
  });
});

describe("13. the quota slot of a submit that failed", () => {
  /** A coordinator whose releases fail, recording each (slot id, when). */
  function failingCoordinator() {
    const released: number[] = [];
    const quota: QuotaCoordinator = {
      acquire: async () => undefined,
      release: () => {
        released.push(Date.now());
        return Promise.reject(new Error("redis is down"));
      },
    };
    return { quota, released };
  }

  it("is given back at once after a definite rejection; a failing release does not replace the submit's error", async () => {
    const { quota, released } = failingCoordinator();
    const { fake, client } = setup({ quota });
    fake.inject({ kind: "status", status: 400 }, { match: POST });
    const startedAt = Date.now();
    expect(await driveToError(client.t2i.submit({ prompt: "x" }))).toBeInstanceOf(BadRequestError);
    expect(released).toEqual([startedAt]);
    expect(client.queue.running).toBe(0);
  });

  it("is held for quotaHoldMs after an unknown outcome (its task may run), then given back", async () => {
    const { quota, released } = failingCoordinator();
    const { fake, client } = setup({ quota, quotaHoldMs: 30_000 });
    fake.inject({ kind: "status-after-create", status: 500 }, { match: POST });
    expect(await driveToError(client.t2i.submit({ prompt: "x" }))).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect([released.length, client.queue.running]).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect([released.length, client.queue.running]).toEqual([1, 0]);
  });
});

describe("17. a concurrent-task-limit 429", () => {
  it("is waited out with its own budget, not the retries meant for failures", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 5, maxRetries: 1 }, { maxConcurrentTasks: 3, durationMs: 20_000 });
    const tasks = await drive(Promise.all([1, 2, 3].map((n) => client.t2i.submit({ prompt: `p${n}` }))));
    const fourth = client.t2i.submit({ prompt: "p4" });
    const task = await drive(fourth, { stepMs: 500 });
    expect(task.id).toMatch(/^task-/);
    expect(fake.stats.tooManyRequests.concurrency).toBeGreaterThan(2); // more 429s than maxRetries allows for failures
    expect(tasks).toHaveLength(3);
  });

  it("a rate-limit 429 still uses maxRetries", async () => {
    const { fake, client } = setup({ maxRetries: 1 });
    const noWait = { "Retry-After": "" }; // a server-requested wait uses up no retry, quota or not
    fake.inject({ kind: "status", status: 429, message: "Too Many Requests: rate limit exceeded", headers: noWait }, { match: POST, times: 5 });
    expect(await driveToError(client.t2i.submit({ prompt: "x" }))).toBeInstanceOf(RateLimitError);
    expect(fake.countRequests(POST)).toBe(2);
  });
});

describe("20. background retries", () => {
  it("do not keep Node alive after the last await", () => {
    vi.useRealTimers();
    const script = `
      import Modellix from "./src/index.ts";
      import { FakeModellix } from "./src/testing/index.ts";
      const fake = new FakeModellix({ durationMs: 3_600_000 });
      fake.inject({ kind: "status", status: 503 }, { match: { method: "GET" }, times: 1000 });
      const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch: fake.fetch, logLevel: "off", pollInterval: { initialMs: 10, maxMs: 10 } });
      await client.t2i.submit({ prompt: "x" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      console.log("done", fake.countRequests({ method: "GET" }) > 0);
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim()).toBe("done true");
    expect(child.status).toBe(0);
  });
});

describe("waiting for a quota slot", () => {
  it("keeps Node alive until the submit is sent, and client.queue.onIdle() until every task ended", () => {
    vi.useRealTimers();
    const script = `
      import Modellix from "./src/index.ts";
      import { FakeModellix } from "./src/testing/index.ts";
      const fake = new FakeModellix({ pendingMs: 100, durationMs: 300 });
      const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch: fake.fetch, logLevel: "off", pollInterval: { initialMs: 50, maxMs: 50 } });
      for (let i = 0; i < 4; i++) await client.t2i.submit({ prompt: "x" + i });
      console.log("submitted", fake.countRequests({ method: "POST" }));
      await client.queue.onIdle();
      console.log("idle", client.queue.running);
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim().split("\n")).toEqual(["submitted 4", "idle 0"]);
    expect(child.status).toBe(0);
  });
});

it("errors stay ModellixErrors", () => {
  expect(new SubmitOutcomeUnknownError({ reason: "aborted", attempt: 1, type: "t2i", model: "a/b", sentAt: new Date() })).toBeInstanceOf(ModellixError);
});
