import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  SubmitOutcomeUnknownError,
} from "modellix";
import Modellix from "modellix";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "../helpers.js";

useFakeTimersInEachTest();

const POST = { method: "POST" };
const GET = { method: "GET" };

describe("errors that are never retried", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [404, NotFoundError],
  ] as const)("%i on a read → one request, typed error", async (status, ErrorClass) => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status }, { match: GET });
    const error = await driveToError(client.tasks.retrieve("task-x").status());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(fake.countRequests(GET)).toBe(1);
  });

  it("the server's 400 names category and detail, with exactly one POST", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 400, message: "Bad Request: Missing required parameter: prompt" });
    const bad = (await driveToError(client.i2v.submit({ first_frame_image: "https://e.com/a.png", prompt: "waves" }))) as BadRequestError;
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.status).toBe(400);
    expect(bad.category).toBe("Bad Request");
    expect(bad.detail).toBe("Missing required parameter: prompt");
    expect(bad.requestId).toMatch(/.+/);
    expect(fake.countRequests(POST)).toBe(1);
  });

  it("a missing key gets 401 AuthenticationError from the server, once", async () => {
    const { fake, client } = setup({ apiKey: "" });
    const error = await driveToError(client.t2i.submit({ prompt: "x" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(fake.countRequests(POST)).toBe(1);
  });
});

/** Background polling of submitted tasks would add GETs; these read tests poll only by hand. */
const quiet = { pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } };

describe("reads", () => {
  it("429 is retried after Retry-After and then succeeds", async () => {
    const { fake, client } = setup(quiet);
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "7" } }, { match: GET });
    const task = await client.t2i.submit({ prompt: "x" });
    const status = client.tasks.retrieve(task.id).status();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.countRequests(GET)).toBe(1);
    await vi.advanceTimersByTimeAsync(5_900);
    expect(fake.countRequests(GET)).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.countRequests(GET)).toBe(2);
    await expect(status).resolves.toMatchObject({ id: task.id, status: "success" });
  });

  it("429 with only X-RateLimit-Reset waits for the reset", async () => {
    const { fake, client } = setup(quiet);
    const task = await new Modellix({ apiKey: secretKey, baseURL: "https://api.modellix.test", fetch: fake.fetch, logLevel: "off", ...quiet }).t2i.submit({ prompt: "x" });
    const resetAt = Math.ceil((Date.now() + 12_000) / 1000);
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(resetAt) } }, { match: GET });
    const result = client.tasks.retrieve(task.id).wait();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(fake.countRequests(GET)).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.countRequests(GET)).toBe(2);
    await expect(result).resolves.toMatchObject({ id: task.id });
  });

  it("500 on a read is retried maxRetries times with exponential backoff, then InternalServerError", async () => {
    const { fake, client } = setup({ maxRetries: 3 });
    fake.inject({ kind: "status", status: 500 }, { match: GET, times: 10 });
    const error = await driveToError(client.tasks.retrieve("task-a").status(), { stepMs: 50 });
    expect(error).toBeInstanceOf(InternalServerError);
    const times = fake.requests.map((r) => r.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 1 s, 2 s, 4 s, each randomized up to twice that (p-retry's randomize), at most 8 s.
    [1000, 2000, 4000].forEach((base, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(base - 50);
      expect(gaps[i]).toBeLessThanOrEqual(Math.min(base * 2, 8000) + 50);
    });
  });

  it("connection resets, 502/503/504 and malformed JSON on reads are retried", async () => {
    const { fake, client } = setup(quiet);
    const task = await client.t2i.submit({ prompt: "x" });
    fake.inject({ kind: "reset" }, { match: GET });
    fake.inject({ kind: "status", status: 502 }, { match: GET });
    fake.inject({ kind: "malformed-json" }, { match: GET });
    await expect(drive(client.tasks.retrieve(task.id).status())).resolves.toMatchObject({ id: task.id });
    expect(fake.countRequests(GET)).toBe(4);
  });

  it("a hung read times out and is retried", async () => {
    const { fake, client } = setup({ ...quiet, timeout: 5_000 });
    const task = await client.t2i.submit({ prompt: "x" });
    fake.inject({ kind: "hang" }, { match: GET });
    await expect(drive(client.tasks.retrieve(task.id).status())).resolves.toMatchObject({ id: task.id });
    expect(fake.countRequests(GET)).toBe(2);
  });
});

describe("paid submits", () => {
  it.each([500, 502, 504])("%i → SubmitOutcomeUnknownError and exactly one POST", async (status) => {
    const { fake, client } = setup();
    fake.inject({ kind: "status-after-create", status }, { match: POST });
    const error = (await driveToError(client.t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "x" }))) as SubmitOutcomeUnknownError;
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error).toMatchObject({ reason: "server_error", attempt: 1, status, type: "t2i", model: "bytedance/seedream-4.5-t2i" });
    expect(error.cause).toBeInstanceOf(InternalServerError);
    expect(fake.countRequests(POST)).toBe(1);
    expect(fake.tasks).toHaveLength(1);
  });

  it("reset after sending, a timeout and an unreadable 2xx → unknown outcome, never a second POST", async () => {
    const { fake, client } = setup({ timeout: 10_000 });
    fake.inject({ kind: "reset-after-create" }, { match: POST });
    fake.inject({ kind: "delay-after-create", ms: 60_000 }, { match: POST });
    fake.inject({ kind: "malformed-json" }, { match: POST });
    const reasons = [];
    for (let i = 0; i < 3; i++) {
      const error = (await driveToError(client.t2i.submit({ prompt: `p${i}` }))) as SubmitOutcomeUnknownError;
      expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
      reasons.push(error.reason);
    }
    expect(reasons).toEqual(["connection_lost", "timeout", "unreadable_response"]);
    expect(fake.countRequests(POST)).toBe(3);
    expect(fake.tasks).toHaveLength(3);
  });

  it("429s and refused connections are safe to retry: one task is created", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "2" } }, { match: POST });
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "" } }, { match: POST });
    fake.inject({ kind: "refuse" }, { match: POST });
    const task = await drive(client.t2i.submit({ prompt: "x" }));
    expect(fake.countRequests(POST)).toBe(4);
    expect(fake.tasks.map((t) => t.id)).toEqual([task.id]);
  });

  it("a rate limit without Retry-After that persists ends in RateLimitError with its figures after maxRetries", async () => {
    const { fake, client } = setup({ maxRetries: 2 });
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "" } }, { match: POST, times: 5 });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.limit).toBe(600);
    expect(fake.countRequests(POST)).toBe(3);
  });

  it("a rate limit with Retry-After is waited out as the server asks, using up no retries, for the call's time budget (2 min)", async () => {
    const { fake, client } = setup({ maxRetries: 1 });
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "10" } }, { match: POST, times: Number.POSITIVE_INFINITY });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(10_000);
    const times = fake.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(times.length).toBeGreaterThan(2); // more than maxRetries allows for failures
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => 10_000));
    expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(120_000);
  });

  it("a connection reset on submit with retryUnsafeSubmits: true is retried (opt-in)", async () => {
    const { fake, client } = setup({ retryUnsafeSubmits: true });
    fake.inject({ kind: "reset" }, { match: POST });
    await drive(client.t2i.submit({ prompt: "x" }));
    expect(fake.countRequests(POST)).toBe(2);
  });

  it("a 2xx whose envelope carries a 4xx code is that typed APIError, not retried", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "envelope-error", code: 400, message: "Bad Request: Invalid parameter: style" }, { match: POST });
    const error = await driveToError(client.t2i.submit({ prompt: "x", aspectRatio: "nope" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(fake.countRequests(POST)).toBe(1);
  });

  it("a refused connection that persists is a ConnectionError saying nothing was sent", async () => {
    const { fake, client } = setup({ maxRetries: 1 });
    fake.inject({ kind: "refuse" }, { times: 5 });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestSent).toBe(false);
    expect(error.code).toBe("ECONNREFUSED");
  });

  it("an unreadable 2xx on a read that persists is an InvalidResponseError", async () => {
    const { fake, client } = setup({ maxRetries: 1 });
    fake.inject({ kind: "malformed-json" }, { match: GET, times: 5 });
    const error = await driveToError(client.tasks.retrieve("task-q").status());
    expect(error).toBeInstanceOf(InvalidResponseError);
  });
});

describe("a full team quota (a concurrency 429)", () => {
  const concurrency = { kind: "status", status: 429, message: "Too Many Requests: team concurrent task limit reached" } as const;

  it("Retry-After: 0 does not start a loop of POSTs: a server-requested wait is at least 1 s", async () => {
    const { fake, client } = setup({ quotaWaitMs: 10_000 });
    fake.inject({ ...concurrency, headers: { "Retry-After": "0" } }, { match: POST, times: Number.POSITIVE_INFINITY });
    expect(await driveToError(client.t2i.submit({ prompt: "x" }), { stepMs: 100 })).toBeInstanceOf(RateLimitError);
    const times = fake.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(times.length).toBeGreaterThan(5);
    expect(times.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it("without Retry-After is retried every 5–15 s", async () => {
    const { fake, client } = setup({ quotaWaitMs: 60_000 });
    fake.inject({ ...concurrency, headers: { "Retry-After": "" } }, { match: POST, times: 4 });
    await drive(client.t2i.submit({ prompt: "x" }), { stepMs: 100 });
    const times = fake.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(5000);
      expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(15_100);
    }
  });

  it("is waited out for quotaWaitMs even with maxRetries: 0", async () => {
    const { fake, client } = setup({ maxRetries: 0, maxConcurrentTasks: 5 }, { maxConcurrentTasks: 1, durationMs: 40_000 });
    const first = await drive(client.t2i.submit({ prompt: "takes the team's one slot" }));
    const second = await drive(client.t2i.submit({ prompt: "waits for it" }), { stepMs: 500 });
    expect(second.id).not.toBe(first.id);
    expect(fake.stats.tooManyRequests.concurrency).toBeGreaterThan(1);
    expect(fake.tasks).toHaveLength(2);
  });

  it("gives up after quotaWaitMs with the RateLimitError", async () => {
    const { fake, client } = setup({ quotaWaitMs: 30_000 });
    fake.inject(concurrency, { match: POST, times: Number.POSITIVE_INFINITY });
    const submit = client.t2i.submit({ prompt: "x" });
    const error = await driveToError(submit, { stepMs: 500 });
    expect(error).toBeInstanceOf(RateLimitError);
    const times = fake.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(30_000);
    expect(fake.tasks).toHaveLength(0);
  });
});

describe("rate-limit headers out of range", () => {
  const origin = "https://limits.modellix.test";
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("X-RateLimit-Reset: 1e300 is dropped where it is read: pacing stays on and no Invalid Date shows", async () => {
    const started: number[] = [];
    server.use(
      http.get(`${origin}/api/v1/team/balance`, () => {
        started.push(Date.now());
        const headers = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1e300" };
        return HttpResponse.json({ code: 0, message: "success", data: { balance: 1 } }, { headers });
      }),
    );
    const client = new Modellix({ apiKey: secretKey, baseURL: origin, logLevel: "off" });
    await drive(client.account.balance());
    expect(client.rateLimit).toMatchObject({ limit: 10, remaining: 1, resetAt: undefined });
    await drive(Promise.all([1, 2, 3].map(() => client.account.balance())));
    expect(started).toHaveLength(4);
    for (let i = 2; i < started.length; i++) expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it("a Retry-After over a day, or a count that is no whole number, says nothing", async () => {
    server.use(
      http.get(`${origin}/api/v1/team/balance`, () =>
        HttpResponse.json({ code: 429, message: "Too Many Requests: slow down" }, { status: 429, headers: { "retry-after": "1e300", "x-ratelimit-limit": "1e300", "x-ratelimit-remaining": "2.5" } }),
      ),
    );
    const client = new Modellix({ apiKey: secretKey, baseURL: origin, logLevel: "off", maxRetries: 0 });
    const error = (await driveToError(client.account.balance())) as RateLimitError;
    expect(error).toMatchObject({ retryAfterMs: undefined, limit: undefined, remaining: undefined, resetAt: undefined });
  });
});
