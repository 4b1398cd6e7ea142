import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LogLevel, Logger, ModellixOptions } from "modellix";
import { drive, driveToError, secretKey, setup } from "./helpers.js";

interface Line {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line it is given. */
function capture(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, fields });
  return { lines, logger: { debug: sink("debug"), info: sink("info"), warn: sink("warn"), error: sink("error") } };
}

function setupLogged(level: LogLevel = "debug", options: ModellixOptions = {}, fakeOptions = {}) {
  const { logger, lines } = capture();
  return { lines, ...setup({ logger, logLevel: level, ...options }, fakeOptions) };
}

const slug = "bytedance/seedream-4.5-t2i";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("debug logging", () => {
  it("logs each request's method, path, status, attempt, timing and rate-limit headers at debug", async () => {
    const { client, lines } = setupLogged();
    const result = await drive(client.textToImage({ model: slug, prompt: "a lighthouse" }).wait());
    const submit = lines.find((line) => line.fields?.method === "POST");
    expect(submit).toMatchObject({
      level: "debug",
      message: expect.stringMatching(/^modellix: POST \/bytedance\/seedream-4\.5-t2i → 200 in \d+ ms \(attempt 1\)$/),
      fields: { method: "POST", path: "bytedance/seedream-4.5-t2i", status: 200, attempt: 1, ms: expect.any(Number) },
    });
    expect(submit?.fields?.rateLimit).toMatchObject({ limit: 600, remaining: 599, resetAt: expect.any(Date) });
    const reads = lines.filter((line) => line.fields?.method === "GET");
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((line) => line.level === "debug" && line.fields?.path === `tasks/${result.id}` && line.fields.status === 200)).toBe(true);
  });

  it("logs task status changes: progress at debug, the end at info", async () => {
    const { client, lines } = setupLogged("debug", {}, { pendingMs: 2500, durationMs: 6000 });
    const task = await drive(client.textToImage({ model: slug, prompt: "a lighthouse" }));
    await drive(task.wait());
    const statuses = lines.filter((line) => line.fields?.taskId === task.id).map((line) => `${line.level} ${line.fields?.status}`);
    expect(statuses).toEqual(["debug pending", "debug processing", "info success"]);
  });

  it("logs each retry at info with the attempt, the status and the delay, honouring Retry-After", async () => {
    const { client, fake, lines } = setupLogged();
    fake.inject({ kind: "status", status: 503 }, { match: { method: "GET" } });
    fake.inject({ kind: "status", status: 429, headers: { "Retry-After": "3" } }, { match: { method: "GET" } });
    await drive(client.tasks.retrieve("task-unknown").status().catch(() => undefined));
    const retries = lines.filter((line) => line.level === "info");
    expect(retries.map((line) => line.fields)).toEqual([
      expect.objectContaining({ method: "GET", path: "tasks/task-unknown", status: 503, attempt: 1, delayMs: expect.any(Number) }),
      expect.objectContaining({ method: "GET", status: 429, attempt: 2, delayMs: 3000 }),
    ]);
    const first = retries[0]?.fields?.delayMs as number;
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(first).toBeLessThanOrEqual(2000);
    expect(retries[1]?.message).toMatch(/attempt 2 failed \(429 .*\); retrying after 3000 ms$/);
    expect(lines.filter((line) => line.level === "debug").map((line) => line.fields?.status)).toEqual([503, 429, 404]);
  });

  it("logs connection failures at debug, with what failed and no status", async () => {
    const { client, fake, lines } = setupLogged("debug", { maxRetries: 1 });
    fake.inject({ kind: "reset" }, { times: 2 });
    await driveToError(client.tasks.retrieve("task-x").status());
    const failures = lines.filter((line) => line.level === "debug");
    expect(failures.map((line) => line.fields)).toEqual([
      expect.objectContaining({ method: "GET", path: "tasks/task-x", attempt: 1, error: "ConnectionError", ms: expect.any(Number) }),
      expect.objectContaining({ attempt: 2, error: "ConnectionError" }),
    ]);
    expect(failures[0]?.message).toMatch(/^modellix: GET \/tasks\/task-x failed after \d+ ms \(attempt 1\): Could not reach/);
  });

  it("logs result-file downloads by URL, with status, attempt and retries", async () => {
    const { client, fake, lines } = setupLogged();
    const result = await drive(client.textToImage({ model: slug, prompt: "a lighthouse" }).wait());
    const resource = result.resources[0]!;
    fake.inject({ kind: "status", status: 503 }, { match: { path: "/files/" } });
    await drive(resource.arrayBuffer());
    const fileLines = lines.filter((line) => line.fields?.url !== undefined);
    expect(fileLines.map((line) => [line.level, line.fields?.status, line.fields?.attempt])).toEqual([
      ["debug", 503, 1],
      ["info", 503, 1],
      ["debug", 200, 2],
    ]);
    expect(fileLines[2]?.message.startsWith(`modellix: GET ${resource.url} → 200 in `)).toBe(true);
    expect(fileLines.every((line) => line.fields?.url === resource.url)).toBe(true);
  });

  it("logs at info when it slows down because the rate limit is running low", async () => {
    vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 0, 5)); // early in the fake's one-minute window, so that it does not reset mid-test
    const { client, lines } = setupLogged("info", {}, { rateLimit: 5 });
    const task = client.tasks.retrieve("task-unknown");
    for (let i = 0; i < 6; i++) await drive(task.status().catch(() => undefined));
    const waits = lines.filter((line) => line.fields?.waitMs !== undefined);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ level: "info", message: expect.stringContaining("the rate limit is running low"), fields: { rateLimit: { limit: 5 } } });
  });

  it("follows logLevel, else MODELLIX_LOG, else warn; and writes to console by default", async () => {
    const quiet = setupLogged("info");
    await drive(quiet.client.textToImage({ model: slug, prompt: "x" }).wait());
    expect(new Set(quiet.lines.map((line) => line.level))).toEqual(new Set(["info"]));

    const off = setupLogged("off");
    off.fake.inject({ kind: "status", status: 503 });
    await drive(off.client.tasks.retrieve("t").status().catch(() => undefined));
    expect(off.lines).toEqual([]);

    vi.stubEnv("MODELLIX_LOG", undefined);
    const { logger, lines } = capture();
    const byDefault = setup({ logger, logLevel: undefined });
    await drive(byDefault.client.textToImage({ model: slug, prompt: "x" }).wait());
    expect(lines).toEqual([]);

    vi.stubEnv("MODELLIX_LOG", "debug");
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const fromEnv = setup({ logger: undefined, logLevel: undefined });
    await drive(fromEnv.client.tasks.retrieve("task-unknown").status().catch(() => undefined));
    // One line on the console: the fields as JSON after the message, not an object printed over many lines.
    expect(debug).toHaveBeenCalledWith(expect.stringMatching(/^modellix: GET \/tasks\/task-unknown → 404 .* \{.*"status":404.*\}$/));
  });

  it("never logs the key or the Authorization header, over success, retries and errors", async () => {
    const { client, fake, lines } = setupLogged("debug", { maxRetries: 2 });
    const echo = `Unauthorized: Bearer ${secretKey} is not valid`;
    await drive(client.textToImage({ model: slug, prompt: "a lighthouse" }).wait());
    fake.inject({ kind: "status", status: 429, message: `Too Many Requests: ${secretKey}` }, { match: { method: "POST" } });
    await drive(client.textToImage({ model: slug, prompt: "again" }).wait());
    fake.inject({ kind: "status", status: 401, message: echo });
    await driveToError(client.textToImage({ model: slug, prompt: "x" }));
    fake.inject({ kind: "status-after-create", status: 500, message: echo }, { match: { method: "POST" } });
    await driveToError(client.textToImage({ model: slug, prompt: "x" }));
    fake.inject({ kind: "status", status: 502, message: echo }, { times: 3, match: { method: "GET" } });
    await driveToError(client.tasks.retrieve("task-1").status());
    fake.inject({ kind: "reset" }, { times: 3 });
    await driveToError(client.tasks.retrieve("task-1").status());
    const polled = await drive(client.textToImage({ model: slug, prompt: "polled" }));
    fake.inject({ kind: "status", status: 401, message: echo }, { match: { method: "GET" } });
    await driveToError(polled.wait());

    const levels = new Set(lines.map((line) => line.level));
    expect(levels).toEqual(new Set(["debug", "info", "warn"]));
    const everything = lines.map((line) => `${line.message} ${inspect(line.fields, { depth: 10 })} ${JSON.stringify(line.fields)}`).join("\n");
    expect(everything).toContain("[redacted]");
    expect(everything).not.toContain(secretKey);
    expect(new Set(everything.match(/Bearer \S+/g))).toEqual(new Set(["Bearer [redacted]"]));
    expect(everything).not.toMatch(/authorization/i);
  });
});
