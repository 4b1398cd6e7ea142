import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Modellix, { ConnectionError, SubmitOutcomeUnknownError, TaskFailedError, RequestTimeoutError } from "modellix";
import { createFakeServer, type FakeServer } from "modellix/testing";
import { secretKey } from "../helpers.js";

/** Over real sockets (node http on 127.0.0.1), with real timers and short task durations. */
let server: FakeServer;
let client: Modellix;

beforeAll(async () => {
  server = await createFakeServer({ pendingMs: 20, durationMs: 120 });
  client = new Modellix({ apiKey: secretKey, baseURL: server.url, pollInterval: { initialMs: 50, maxMs: 100 }, logLevel: "off" });
});
afterAll(async () => {
  await server.close();
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("over a real network connection", () => {
  it("submits, polls and returns the fake's file URLs", async () => {
    const result = await client.textToImage({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" }).wait();
    expect(result.resources[0]).toMatchObject({ type: "image", width: 2048, height: 2048 });
    const file = await fetch(result.resources[0]!.url);
    expect(file.headers.get("content-type")).toBe("image/png");
    await expect(client.textToImage({ prompt: "[fail] no" }).wait()).rejects.toBeInstanceOf(TaskFailedError);
  });

  it("a socket destroyed after the submit was processed → SubmitOutcomeUnknownError, one POST, one task", async () => {
    server.fake.reset();
    server.fake.inject({ kind: "reset-after-create" }, { match: { method: "POST" } });
    const error = await client.t2i.submit({ prompt: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect(error).toMatchObject({ reason: "connection_lost", attempt: 1 });
    expect(server.fake.countRequests({ method: "POST" })).toBe(1);
    expect(server.fake.tasks).toHaveLength(1);
  });

  it("a destroyed socket on a read is retried", async () => {
    server.fake.reset();
    const task = await client.t2i.submit({ prompt: "x" });
    server.fake.inject({ kind: "reset" }, { match: { method: "GET" } });
    await expect(client.tasks.retrieve(task.id).status()).resolves.toMatchObject({ id: task.id });
  });

  it("a hung response times out after `timeout`", async () => {
    const impatient = new Modellix({ apiKey: secretKey, baseURL: server.url, timeout: 200, maxRetries: 0, logLevel: "off" });
    server.fake.inject({ kind: "hang" }, { match: { method: "GET" } });
    await expect(impatient.tasks.retrieve("task-1").status()).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it("the timeout covers the body: headers at once, then a body that stalls, is a RequestTimeoutError", async () => {
    const stalling = createHttpServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"code":0,"message":"success","data":{"task_id":');
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = stalling.address() as { port: number };
      const impatient = new Modellix({ apiKey: secretKey, baseURL: `http://127.0.0.1:${port}`, timeout: 200, maxRetries: 0, logLevel: "off" });
      await expect(impatient.tasks.retrieve("task-1").status()).rejects.toBeInstanceOf(RequestTimeoutError);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it("a refused connection is a ConnectionError that says nothing was sent", async () => {
    const nowhere = new Modellix({ apiKey: secretKey, baseURL: `http://127.0.0.1:${await closedPort()}/api/v1`, maxRetries: 0 });
    const error = (await nowhere.t2i.submit({ prompt: "x" }).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ requestSent: false, code: "ECONNREFUSED" });
  });
});
