import { describe, expect, expectTypeOf, it } from "vitest";
import Modellix, { UserAbortError, AuthenticationError, ModellixError, type TaskFailedError, type TaskResult, type WaitTimeoutError } from "modellix";
import { VERSION } from "../../src/core/version.js";
import { drive, driveToError, secretKey, setup, useFakeTimersInEachTest } from "../helpers.js";

// Issue 12: the habits of openai, replicate and fal users.
useFakeTimersInEachTest();

describe("headers", () => {
  it("sends User-Agent modellix-js/<version> (<runtime>/<version>), defaultHeaders and per-request headers", async () => {
    const { fake, client } = setup({ defaultHeaders: { "x-team": "blue", "x-trace": "default" } });
    await client.t2i.submit({ prompt: "x" }, { headers: { "x-trace": "call-7" } });
    await client.tasks.retrieve("task-x").status().catch(() => undefined);
    const [post, get] = fake.requests;
    expect(post?.headers["user-agent"]).toBe(`modellix-js/${VERSION} (Node.js/${process.versions.node})`);
    expect(post?.headers).toMatchObject({ "x-team": "blue", "x-trace": "call-7" });
    expect(get?.headers).toMatchObject({ "x-team": "blue", "x-trace": "default" });
  });

  it("neither defaultHeaders nor per-request headers can replace Authorization", async () => {
    const { fake, client } = setup({ defaultHeaders: { Authorization: "Bearer other" }, apiKey: secretKey }, { apiKeys: [secretKey] });
    await client.t2i.submit({ prompt: "x" }, { headers: { authorization: "Bearer stolen" } });
    expect(fake.countRequests({ method: "POST" })).toBe(1);
    expect(fake.requests[0]?.status).toBe(200); // accepted with the client's own key
  });

  it("hooks see every request and answer, for tracing", async () => {
    const traced: string[] = [];
    const { client } = setup({
      hooks: {
        beforeRequest: [(request) => void traced.push(`→ ${request.method} ${new URL(request.url).pathname}`)],
        afterResponse: [(_request, response) => void traced.push(`← ${response.status}`)],
      },
    });
    await client.t2i.submit({ prompt: "x" });
    expect(traced).toEqual(["→ POST /api/v1/google/nano-banana-2-lite", "← 200"]);
  });

  it("the version matches package.json", async () => {
    const { readFile } = await import("node:fs/promises");
    expect(VERSION).toBe(JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")).version);
  });
});

describe("raw responses", () => {
  it("a submit gives { data: Task, response } with .withResponse() and the response with .asResponse()", async () => {
    const { client } = setup();
    const { data: task, response } = await client.t2i.submit({ prompt: "x" }).withResponse();
    expect(task.id).toMatch(/^task-/);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/.+/);
    expect(await response.json()).toMatchObject({ code: 0, data: { task_id: task.id } });
    const raw = await client.t2i.submit({ prompt: "y" }).asResponse();
    expect((await raw.json()).data.status).toBe("pending");
  });

  it("reads have them too", async () => {
    const { client } = setup({}, { balance: 12 });
    const { data, response } = await client.account.balance().withResponse();
    expect(data.amount).toBe(12);
    expect(response.headers.get("x-ratelimit-limit")).toMatch(/\d+/);
    expect((await client.models.list().asResponse()).status).toBe(200);
    expect((await client.account.validateKey().withResponse()).data).toBe(true);
  });
});

describe("task ids on every error raised after a task exists", () => {
  it("UserAbortError of a chained wait names the task that was already paid for", async () => {
    const { client } = setup();
    const controller = new AbortController();
    const waiting = client.textToImage({ prompt: "x" }).wait({ signal: controller.signal });
    await drive(Promise.resolve(), { maxMs: 500 });
    controller.abort();
    const error = (await driveToError(waiting)) as UserAbortError;
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error.taskId).toMatch(/^task-/);
    expect(error.task?.id).toBe(error.taskId);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ taskId: error.taskId });
  });

  it("WaitTimeoutError.task is the Task; TaskFailedError and polling errors carry taskId and task", async () => {
    const { fake, client } = setup();
    const slow = await client.t2v.submit({ prompt: "x" });
    const timeout = (await driveToError(slow.wait({ timeout: 100 }))) as WaitTimeoutError;
    expectTypeOf(timeout.task.wait).returns.resolves.toEqualTypeOf<TaskResult>();
    expect(timeout.task).toBe(slow);
    const failed = (await driveToError(client.t2i.submit({ prompt: "[fail] x" }).wait())) as TaskFailedError;
    expect(failed.task?.id).toBe(failed.taskId);
    fake.inject({ kind: "status", status: 401 }, { match: { method: "GET" } });
    const polling = (await driveToError(slow.wait())) as AuthenticationError;
    expect(polling).toBeInstanceOf(AuthenticationError);
    expect(polling.taskId).toBe(slow.id);
    const read = (await driveToError(client.tasks.retrieve("task-gone").status())) as ModellixError;
    expect(read.taskId).toBe("task-gone");
  });

  it("the id has one name everywhere: Task.id, snapshot.id, result.id (taskId kept as an alias)", async () => {
    const { client } = setup();
    const task = await client.t2i.submit({ prompt: "x" });
    const result = await drive(task.wait());
    expect([task.latest?.id, result.id]).toEqual([task.id, task.id]);
  });
});

describe("the model slug", () => {
  it("is the same for a submitted task and one resumed elsewhere from its id alone", async () => {
    const { fake, client } = setup();
    const submitted = await client.t2i.submit({ model: "bytedance/seedream-4-5-t2i", prompt: "x", size: "2048x2048" });
    const resumed = setup({ fetch: fake.fetch }).client.tasks.retrieve(submitted.id);
    const [a, b] = await drive(Promise.all([submitted.wait(), resumed.wait()]));
    expect(submitted.model).toBe("bytedance/seedream-4.5-t2i");
    expect([resumed.model, a.model, b.model]).toEqual(Array(3).fill("bytedance/seedream-4.5-t2i"));
  });
});

describe("no API key", () => {
  it("a client for the official API without a key fails at once, naming MODELLIX_API_KEY", () => {
    const saved = process.env.MODELLIX_API_KEY;
    delete process.env.MODELLIX_API_KEY;
    try {
      expect(() => new Modellix()).toThrow(/MODELLIX_API_KEY/);
      expect(() => new Modellix({ baseURL: "https://api.modellix.ai/api/v1" })).toThrow(ModellixError);
    } finally {
      if (saved !== undefined) process.env.MODELLIX_API_KEY = saved;
    }
  });

  it("a keyless client is for a proxy; a 401 there names the cause", async () => {
    const { fake, client } = setup({ apiKey: "", baseURL: "https://app.example.test/api/modellix" }, { prefix: "/api/modellix", apiKeys: [secretKey] });
    const error = (await driveToError(client.t2i.submit({ prompt: "x" }))) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain("sends no API key");
    expect(fake.requests[0]?.path).toBe("/api/modellix/api/v1/google/nano-banana-2-lite");
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });
});
