import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import Modellix, {
  APIError,
  UserAbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InsufficientBalanceError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  SubmitOutcomeUnknownError,
  type Task,
  ValidationError,
} from "modellix";
import type { FakeFault } from "modellix/testing";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "../helpers.js";

// The submit policy (src/core/submit-policy.ts), row by row, through the fake server or msw: what each outcome
// of a paid POST throws, and how many POSTs it took. API.md "Submit safety".
useFakeTimersInEachTest();

const POST = { method: "POST", route: "submit" } as const;

/** A settled submit: its task, or the error it failed with. */
const settled = (task: Task) => ({ task, error: undefined as unknown });
const failed = (error: unknown) => ({ task: undefined, error });
const UPLOAD = { method: "POST", route: "media-files" } as const;

/** Submits once against a fake that answers the first POST with `fault`; the outcome and the POSTs sent. */
async function submitThrough(fault: FakeFault, clientOptions = {}) {
  const { fake, client } = setup({ timeout: 10_000, ...clientOptions });
  fake.inject(fault, { match: POST });
  const outcome = await drive(client.t2i.submit({ prompt: "x" }).then(settled, failed));
  return { ...outcome, posts: fake.countRequests(POST), tasks: fake.tasks.length, client };
}

describe("definite rejections: nothing paid, the typed error, one POST, the slot freed at once", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, InsufficientBalanceError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [405, APIError],
    [413, APIError],
    [415, APIError],
    [422, APIError],
  ] as const)("%i", async (status, ErrorClass) => {
    const { error, posts, tasks, client } = await submitThrough({ kind: "status", status });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).not.toBeInstanceOf(SubmitOutcomeUnknownError);
    expect((error as APIError).status).toBe(status);
    expect([posts, tasks]).toEqual([1, 0]);
    expect(client.queue.running).toBe(0);
  });

  it("a 2xx whose envelope carries a rejection's code (400) and no task id", async () => {
    const { error, posts } = await submitThrough({ kind: "envelope-error", code: 400, message: "Invalid parameters: parameter 'prompt' is required" });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(posts).toBe(1);
  });
});

describe("sent again: nothing was created", () => {
  it("a 429 is waited out and sent again: one task", async () => {
    const { task, posts, tasks } = await submitThrough({ kind: "status", status: 429, headers: { "Retry-After": "2" } });
    expect(task?.id).toMatch(/^task-/);
    expect([posts, tasks]).toEqual([2, 1]);
  });

  it("a connection refused before any byte was sent is sent again: one task", async () => {
    const { task, posts, tasks } = await submitThrough({ kind: "refuse" });
    expect(task?.id).toMatch(/^task-/);
    expect([posts, tasks]).toEqual([2, 1]);
  });
});

describe("unknown outcomes: SubmitOutcomeUnknownError, exactly one POST, the slot held", () => {
  const rows: Array<[string, FakeFault, string]> = [
    ["500 after the task was created", { kind: "status-after-create", status: 500 }, "server_error"],
    ["502", { kind: "status-after-create", status: 502 }, "server_error"],
    ["503 (the vendor never repeats a paid POST after one)", { kind: "status", status: 503 }, "server_error"],
    ["504", { kind: "status-after-create", status: 504 }, "server_error"],
    ["an unlisted 4xx (409)", { kind: "status", status: 409 }, "server_error"],
    ["a reset after sending", { kind: "reset-after-create" }, "connection_lost"],
    ["a reset before the server processed it (the bytes had left)", { kind: "reset" }, "connection_lost"],
    ["a timeout", { kind: "delay-after-create", ms: 60_000 }, "timeout"],
    ["an unreadable 2xx", { kind: "malformed-json" }, "unreadable_response"],
    ["a 2xx with a non-HTTP error code (50001) and no task id", { kind: "envelope-error", code: 50001, message: "Internal: queue write failed" }, "unreadable_response"],
    ["a 2xx with a 429 code and no task id (a 2xx is no refusal)", { kind: "envelope-error", code: 429, message: "Too Many Requests: later" }, "unreadable_response"],
    ["a 2xx with a 500 code and no task id", { kind: "envelope-error", code: 500, message: "Internal Server Error: x" }, "unreadable_response"],
  ];
  it.each(rows)("%s", async (_name, fault, reason) => {
    const { error, posts, client } = await submitThrough(fault, { quotaHoldMs: 30_000 });
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error).toMatchObject({ reason, attempt: 1, type: "t2i" });
    expect(posts).toBe(1);
    expect(client.queue.running).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(client.queue.running).toBe(0);
  });

  it("an abort while the POST is in flight", async () => {
    const { fake, client } = setup();
    fake.inject({ kind: "delay-after-create", ms: 60_000 }, { match: POST });
    const controller = new AbortController();
    const submit = client.t2i.submit({ prompt: "x" }, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await driveToError(submit)).toMatchObject({ name: "SubmitOutcomeUnknownError", reason: "aborted" });
    expect(fake.countRequests(POST)).toBe(1);
  });

  it("with retryUnsafeSubmits, an unknown outcome is sent again (it may pay twice)", async () => {
    const { task, posts, tasks } = await submitThrough({ kind: "status-after-create", status: 500 }, { retryUnsafeSubmits: true });
    expect(task?.id).toMatch(/^task-/);
    expect([posts, tasks]).toEqual([2, 2]);
  });
});

describe("answers only msw can give", () => {
  const origin = "https://policy.modellix.test";
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** Answers every submit with `answer`; the submit's outcome and the POSTs sent. */
  async function submitAnswered(answer: () => Response) {
    let posts = 0;
    server.use(
      http.post(`${origin}/api/v1/:provider/:model`, () => {
        posts++;
        return answer();
      }),
    );
    const client = new Modellix({ apiKey: secretKey, baseURL: origin, logLevel: "off", pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    const outcome = await drive(client.t2i.submit({ prompt: "x" }).then(settled, failed));
    return { ...outcome, posts };
  }

  it("a 2xx without a task id is an unknown outcome, one POST", async () => {
    const { error, posts } = await submitAnswered(() => HttpResponse.json({ code: 0, message: "success", data: { status: "pending" } }));
    expect(error).toMatchObject({ name: "SubmitOutcomeUnknownError", reason: "unreadable_response", status: 200 });
    expect(posts).toBe(1);
  });

  it("a 2xx with a non-HTTP error code and a task id keeps that task, one POST", async () => {
    const { task, posts } = await submitAnswered(() => HttpResponse.json({ code: 50001, message: "Internal: slow", data: { task_id: "task-kept", status: "pending" } }));
    expect(task?.id).toBe("task-kept");
    expect(posts).toBe(1);
  });

  it("a redirect is not followed: an unknown outcome, one POST", async () => {
    const { error, posts } = await submitAnswered(() => new HttpResponse(null, { status: 307, headers: { location: `${origin}/api/v1/elsewhere` } }));
    expect(error).toMatchObject({ name: "SubmitOutcomeUnknownError", reason: "redirected" });
    expect(posts).toBe(1);
  });
});

describe("uploads follow the same rule (the file store has a quota)", () => {
  const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], { type: "image/png" });

  it.each([
    ["a 502", { kind: "status", status: 502 }, InternalServerError],
    ["a 503", { kind: "status", status: 503 }, InternalServerError],
    ["a reset after sending", { kind: "reset" }, ConnectionError],
  ] as const)("%s is thrown, never replayed, and the submit it was for is not sent", async (_name, fault, ErrorClass) => {
    const { fake, client } = setup();
    fake.inject(fault, { match: UPLOAD });
    expect(await driveToError(client.files.upload(png))).toBeInstanceOf(ErrorClass);
    expect(fake.countRequests(UPLOAD)).toBe(1);
    fake.inject(fault, { match: UPLOAD });
    expect(await driveToError(client.i2v.submit({ prompt: "waves", first_frame_image: png }))).toBeInstanceOf(ErrorClass);
    expect(fake.countRequests(UPLOAD)).toBe(2);
    expect(fake.countRequests(POST)).toBe(0);
    expect(client.queue.running).toBe(0);
  });

  it.each([
    ["a 429", { kind: "status", status: 429 }],
    ["a refused connection", { kind: "refuse" }],
  ] as const)("%s is sent again", async (_name, fault) => {
    const { fake, client } = setup();
    fake.inject(fault, { match: UPLOAD });
    await expect(drive(client.files.upload(png))).resolves.toMatchObject({ type: "image" });
    expect(fake.countRequests(UPLOAD)).toBe(2);
  });

  it("a file over 16 MiB is a ValidationError naming its field, before anything is sent", async () => {
    const { fake, client } = setup();
    const huge = new Blob([new Uint8Array(16 * 1024 * 1024 + 1)], { type: "image/png" });
    const direct = await driveToError(client.files.upload(huge));
    expect(direct).toBeInstanceOf(ValidationError);
    expect((direct as ValidationError).issues).toEqual([{ path: "file", message: expect.stringContaining("at most 16 MiB") }]);
    const input = (await driveToError(client.i2i.submit({ prompt: "blue", image: [png, huge] }))) as ValidationError;
    expect(input).toBeInstanceOf(ValidationError);
    expect(input.issues.map((issue) => issue.path)).toEqual(["image.1"]);
    expect(fake.requests).toHaveLength(0);
  });

  it("the fake refuses a file over 16 MiB with 413 and stores one of exactly 16 MiB", async () => {
    const { fake } = setup();
    const upload = (size: number) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(size)], { type: "image/png" }), "a.png");
      return fake.fetch("https://api.modellix.test/api/v1/media/files", { method: "POST", body: form, headers: { authorization: `Bearer ${secretKey}` } });
    };
    expect((await upload(16 * 1024 * 1024 + 1)).status).toBe(413);
    expect((await upload(16 * 1024 * 1024)).status).toBe(200);
  });
});

describe("an abort while a refused POST is waited out", () => {
  it("is a plain UserAbortError and frees the quota slot at once (every POST sent was refused)", async () => {
    const { fake, client } = setup({ maxConcurrentTasks: 5, quotaHoldMs: 60_000 }, { maxConcurrentTasks: 1, durationMs: 600_000 });
    await drive(client.t2i.submit({ prompt: "holds the team's one slot" }));
    const controller = new AbortController();
    const waiting = client.t2i.submit({ prompt: "x" }, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(3_500);
    expect(fake.stats.tooManyRequests.concurrency).toBeGreaterThan(1);
    expect(client.queue.running).toBe(2);
    controller.abort();
    const error = await driveToError(waiting);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error).not.toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(client.queue.running).toBe(1);
  });
});
