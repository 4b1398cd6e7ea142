import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import Modellix, { type TaskSnapshot, ValidationError, type WebhookOptions } from "modellix";
import { webhookHandler } from "modellix/node";
import { type FakeModellix, type FakeServer, createFakeServer } from "modellix/testing";
import { drive, secretKey, setup, useFakeTimersInEachTest } from "./helpers.js";

const hookUrl = "https://app.example/api/modellix-webhook?token=hook-secret";

/** A client and a fake whose deliveries go straight to the client's `webhooks.handle` (no sockets). */
function wired(fakeOptions: Parameters<typeof setup>[1] = {}, onTask?: WebhookOptions["onTask"]) {
  const { fake, client } = setup({ webhookUrl: hookUrl, webhooks: { onTask } }, fakeOptions);
  fake.configure({ webhookFetch: async (input, init) => client.webhooks.handle(new Request(input, init)) });
  return { fake, client };
}

/** A delivery as Modellix sends one, with whatever body the sender chose. */
function delivery(headers: Record<string, string>, body: unknown = {}): Request {
  return new Request(hookUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

const reads = (fake: FakeModellix, id: string) => fake.countRequests({ route: "task", path: id });

/** Settles pending promise callbacks (under fake timers nothing else moves). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("X-Webhook-URL on the submit", () => {
  useFakeTimersInEachTest();

  it("sends the client's webhookUrl, or a submit's own, on the paid POST", async () => {
    const { fake, client } = setup({ webhookUrl: hookUrl });
    await client.t2i.submit({ prompt: "a" });
    await client.t2i.submit({ prompt: "b" }, { webhookUrl: "http://localhost:3000/hook" });
    const submits = fake.requests.filter((record) => record.route === "submit");
    expect(submits.map((record) => record.headers["x-webhook-url"])).toEqual([hookUrl, "http://localhost:3000/hook"]);
  });

  it("sends no header without a webhook URL", async () => {
    const { fake, client } = setup();
    await client.t2i.submit({ prompt: "a" });
    expect(fake.requests[0]?.headers["x-webhook-url"]).toBeUndefined();
  });

  it("refuses a URL that is not https (plain http only for localhost) before anything is sent, without echoing its path or query", async () => {
    const { fake, client } = setup();
    for (const webhookUrl of ["http://app.example/hook?token=hook-secret", "ftp://app.example/hook", "/relative/hook", "not a url"]) {
      const error = await client.t2i.submit({ prompt: "a" }, { webhookUrl }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toBe("webhookUrl");
      expect(String(error)).not.toContain("hook-secret");
    }
    expect(fake.requests).toHaveLength(0);
    expect(() => new Modellix({ apiKey: secretKey, webhookUrl: "http://app.example/hook" })).toThrow(ValidationError);
  });
});

describe("a task submitted with a webhook", () => {
  useFakeTimersInEachTest();

  it("is polled only every webhookMs until its delivery arrives, then its wait resolves at once", async () => {
    const { fake, client } = wired({ durationMs: 3_000 });
    const task = await client.t2i.submit({ prompt: "a lighthouse" });
    let result: unknown;
    void task.wait().then((value) => (result = value));
    await vi.advanceTimersByTimeAsync(10_000); // long past its end: a plain task would have been polled 3 times
    expect(reads(fake, task.id)).toBe(0);
    expect(result).toBeUndefined();
    const attempts = await fake.deliverWebhooks();
    await settle();
    expect(attempts).toMatchObject([{ taskId: task.id, event: "prediction.task.succeeded", retryCount: 0, status: 200, result: "acknowledged" }]);
    expect(result).toMatchObject({ id: task.id, resources: [{ type: "image" }] });
    expect(reads(fake, task.id)).toBe(1); // the delivery's confirming read, shared with the wait
    expect(client.queue.running).toBe(0); // and the task's quota slot is free
  });

  it("without a delivery, its safety-net poll at webhookMs ends the wait", async () => {
    const { fake, client } = setup({ webhookUrl: hookUrl, pollInterval: { webhookMs: 20_000 } }, { durationMs: 3_000 });
    const task = await client.t2i.submit({ prompt: "a" });
    const submittedAt = Date.now();
    await drive(task.wait(), { stepMs: 1_000 });
    expect(reads(fake, task.id)).toBe(1);
    expect(Date.now() - submittedAt).toBe(20_000);
  });

  it("a forged body is never believed: 'succeeded' for a running task answers 503 and leaves the wait running", async () => {
    const onTask = vi.fn();
    const { fake, client } = wired({ durationMs: 60_000 }, onTask);
    const task = await client.t2v.submit({ prompt: "a" });
    let settled = false;
    const waiting = task.wait().finally(() => (settled = true));
    const forged = {
      event: "prediction.task.succeeded",
      data: { task_id: task.id, status: "success", result: { resources: [{ url: "https://evil.example/x.mp4", type: "video" }] } },
    };
    const response = await client.webhooks.handle(delivery({ "x-modellix-task-id": task.id, "x-modellix-delivery-id": "forged-1" }, forged));
    await settle();
    expect(response.status).toBe(503);
    expect(settled).toBe(false);
    expect(onTask).not.toHaveBeenCalled();
    expect(task.latest?.status).toBe("pending"); // what the read it made says, not the body
    await vi.advanceTimersByTimeAsync(60_000);
    await fake.deliverWebhooks();
    const result = await waiting;
    expect(result.resources[0]?.url).not.toContain("evil.example");
    expect(onTask).toHaveBeenCalledTimes(1);
  });

  it("a delivery for an unknown task reads 404 and is answered 404, calling nothing", async () => {
    const onTask = vi.fn();
    const { fake, client } = wired({}, onTask);
    const response = await client.webhooks.handle(delivery({ "x-modellix-task-id": "task-nobody-knows" }, { event: "prediction.task.succeeded" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "No such task for this API key" });
    expect(reads(fake, "task-nobody-knows")).toBe(1);
    expect(onTask).not.toHaveBeenCalled();
  });

  it("a repeated delivery is processed once: one read, one onTask, a 200 to every copy", async () => {
    const onTask = vi.fn();
    const { fake, client } = wired({ durationMs: 3_000, webhookRepeats: 2 }, onTask);
    const task = await client.t2i.submit({ prompt: "a" });
    await vi.advanceTimersByTimeAsync(3_000);
    const attempts = await fake.deliverWebhooks();
    expect(attempts.map((attempt) => [attempt.status, attempt.retryCount])).toEqual([
      [200, 0],
      [200, 1],
      [200, 2],
    ]);
    expect(new Set(attempts.map((attempt) => attempt.deliveryId)).size).toBe(1);
    expect(onTask).toHaveBeenCalledTimes(1);
    expect(onTask).toHaveBeenCalledWith(
      expect.objectContaining({ id: task.id, status: "success" }),
      { taskId: task.id, deliveryId: attempts[0]?.deliveryId, retryCount: 0 },
    );
    expect(reads(fake, task.id)).toBe(1);
  });

  it("copies of one delivery arriving together share one read and one onTask", async () => {
    const onTask = vi.fn();
    const { fake, client } = setup({ webhooks: { onTask } }, { durationMs: 0, pendingMs: 0 });
    const submitted = await client.t2i.submit({ prompt: "a" });
    const headers = { "x-modellix-task-id": submitted.id, "x-modellix-delivery-id": "d-1" };
    const answers = await Promise.all([client.webhooks.handle(delivery(headers)), client.webhooks.handle(delivery(headers))]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(reads(fake, submitted.id)).toBe(1);
    expect(onTask).toHaveBeenCalledTimes(1);
  });

  it("ends failed and canceled tasks with their own events, and wakes the waits with their errors", async () => {
    const onTask = vi.fn();
    const { fake, client } = wired({ durationMs: 1_000 }, onTask);
    const failed = await client.t2i.submit({ prompt: "[fail] a" });
    const canceled = await client.t2i.submit({ prompt: "[cancel] a" });
    const errors = Promise.all([failed.wait().catch((e: unknown) => e), canceled.wait().catch((e: unknown) => e)]);
    await vi.advanceTimersByTimeAsync(1_000);
    const attempts = await fake.deliverWebhooks();
    expect(attempts.map((attempt) => attempt.event).sort()).toEqual(["prediction.task.canceled", "prediction.task.failed"]);
    expect((await errors).map((error) => (error as { status: string }).status)).toEqual(["failed", "canceled"]);
    expect(onTask.mock.calls.map(([snapshot]) => (snapshot as TaskSnapshot).status).sort()).toEqual(["canceled", "failed"]);
  });
});

describe("client.webhooks.handle: what it answers", () => {
  useFakeTimersInEachTest();

  it("400 without a usable X-Modellix-Task-ID and 405 to a GET, sending no request", async () => {
    const { fake, client } = setup();
    const answers = await Promise.all([
      client.webhooks.handle(delivery({}, { task_id: "task-1" })),
      client.webhooks.handle(delivery({ "x-modellix-task-id": ".." })),
      client.webhooks.handle(delivery({ "x-modellix-task-id": "x".repeat(300) })),
      client.webhooks.handle(delivery({ "x-modellix-task-id": "task-1", "x-modellix-delivery-id": "d".repeat(300) })),
      client.webhooks.handle(new Request(hookUrl, { headers: { "x-modellix-task-id": "task-1" } })),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 405]);
    expect(answers[4]?.headers.get("allow")).toBe("POST");
    expect(fake.requests).toHaveLength(0);
  });

  it("502 when the confirming read fails, and the fake sends the delivery again after its backoff", async () => {
    const onTask = vi.fn();
    const { fake, client } = wired({ durationMs: 1_000 }, onTask);
    const task = await client.t2i.submit({ prompt: "a" });
    await vi.advanceTimersByTimeAsync(1_000);
    fake.inject({ kind: "status", status: 503 }, { match: { route: "task" } });
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: 502, result: "retry" }]);
    expect(await fake.deliverWebhooks()).toEqual([]); // not before its backoff
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: 200, retryCount: 1, result: "acknowledged" }]);
    expect(onTask).toHaveBeenCalledTimes(1);
    expect(onTask.mock.calls[0]?.[1]).toMatchObject({ taskId: task.id, retryCount: 1 });
  });

  it("500 when onTask throws, and onTask gets the retried delivery", async () => {
    const onTask = vi.fn().mockRejectedValueOnce(new Error("database down")).mockResolvedValue(undefined);
    const { fake, client } = wired({ durationMs: 1_000 }, onTask);
    await client.t2i.submit({ prompt: "a" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: 500, result: "retry" }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: 200, result: "acknowledged" }]);
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("a handle() call's own onTask replaces the client's", async () => {
    const own = vi.fn();
    const clientWide = vi.fn();
    const { fake, client } = setup({ webhookUrl: hookUrl, webhooks: { onTask: clientWide } }, { durationMs: 0, pendingMs: 0 });
    fake.configure({ webhookFetch: async (input, init) => client.webhooks.handle(new Request(input, init), { onTask: own }) });
    await client.t2i.submit({ prompt: "a" });
    await fake.deliverWebhooks();
    expect(own).toHaveBeenCalledTimes(1);
    expect(clientWide).not.toHaveBeenCalled();
  });
});

describe("the fake's deliveries", () => {
  useFakeTimersInEachTest();

  it("give up on a 4xx at once, and after 5 attempts of 5xx", async () => {
    const { fake, client } = setup({ webhookUrl: hookUrl }, { durationMs: 0, pendingMs: 0 });
    const answers = [404, 500, 500, 500, 500, 500];
    fake.configure({ webhookFetch: async () => new Response(null, { status: answers.shift() }) });
    await client.t2i.submit({ prompt: "a" });
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: 404, result: "gave-up" }]);
    await client.t2i.submit({ prompt: "b" });
    for (let i = 0; i < 6; i++) {
      await fake.deliverWebhooks();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(fake.webhookDeliveries.slice(1).map((attempt) => attempt.result)).toEqual(["retry", "retry", "retry", "retry", "gave-up"]);
  });

  it("post to localhost only, unless given a webhookFetch", async () => {
    const { fake, client } = setup({ webhookUrl: hookUrl }, { durationMs: 0, pendingMs: 0 });
    await client.t2i.submit({ prompt: "a" });
    expect(await fake.deliverWebhooks()).toMatchObject([{ status: undefined, result: "gave-up", error: expect.stringContaining("localhost") }]);
  });
});

describe("through a real local HTTP endpoint (modellix/node on 127.0.0.1, deliveries from createFakeServer)", () => {
  let server: FakeServer | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    await server?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  });

  it("never believes a forged body, processes a repeated delivery once, and wakes the wait", async () => {
    // The fake's own clock, moved by hand: the task ends, and is delivered, when the test says.
    let now = Date.now();
    server = await createFakeServer({ clock: { now: () => now }, durationMs: 5_000, webhookIntervalMs: 20, webhookRepeats: 1 });
    const onTask = vi.fn();
    let client: Modellix | undefined;
    receiver = createServer((req, res) => (client ? webhookHandler(client, { onTask })(req, res) : res.end()));
    await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/modellix/webhook`;
    // The safety net is far off: only a delivery can end this wait in time.
    client = new Modellix({ apiKey: secretKey, baseURL: server.url, webhookUrl: hook, pollInterval: { webhookMs: 600_000 }, logLevel: "off" });
    const task = await client.t2i.submit({ prompt: "a lighthouse" });
    let settled = false;
    const waiting = task.wait().finally(() => (settled = true));

    const forged = await fetch(hook, {
      method: "POST",
      headers: { "content-type": "application/json", "x-modellix-task-id": task.id, "x-modellix-delivery-id": "forged" },
      body: JSON.stringify({ event: "prediction.task.succeeded", data: { status: "success", result: { resources: [{ url: "https://evil.example/x.png" }] } } }),
    });
    expect(forged.status).toBe(503);
    expect(settled).toBe(false);
    expect(onTask).not.toHaveBeenCalled();

    now += 5_000;
    const result = await waiting;
    expect(result.resources[0]?.url.startsWith(server.origin)).toBe(true);
    await vi.waitFor(() => expect(server?.fake.webhookDeliveries).toHaveLength(2));
    const [first, repeat] = server.fake.webhookDeliveries;
    expect(first).toMatchObject({ taskId: task.id, status: 200, retryCount: 0 });
    expect(repeat).toMatchObject({ deliveryId: first?.deliveryId, status: 200, retryCount: 1 });
    const again = await fetch(hook, { method: "POST", headers: { "x-modellix-task-id": task.id, "x-modellix-delivery-id": first?.deliveryId ?? "" } });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(onTask).toHaveBeenCalledTimes(1);
    expect(server.fake.countRequests({ route: "task", path: task.id })).toBe(2); // the forged delivery's read and the real one's
  });
});
