import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Modellix, { ModellixError, ValidationError } from "modellix";
import type { FakeFault } from "modellix/testing";
import { driveToError, secretKey, setup } from "../helpers.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** Everything a user could print or serialise of an error, including its cause chain. */
function everythingVisible(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as Error & { toJSON?: () => unknown };
    parts.push(String(e), e.stack ?? "", inspect(e, { depth: 10, showHidden: false }), JSON.stringify(e), JSON.stringify(e.toJSON?.() ?? null));
    parts.push(JSON.stringify(Object.entries(e)));
    current = (e as { cause?: unknown }).cause;
  }
  return parts.join("\n");
}

describe("the API key never leaks", () => {
  it("from errors of every kind the client can throw", async () => {
    const { fake, client } = setup({ maxRetries: 0, timeout: 1_000 });
    const echo = `Unauthorized: key ${secretKey} is not valid`;
    const withFault = (fault: FakeFault, run: () => Promise<unknown>) => () => {
      fake.inject(fault);
      return run();
    };
    const failures: Array<[string, () => Promise<unknown>]> = [
      ["validation", () => client.t2i.submit({ prompt: 42 } as never)],
      ["401 echoing the key", withFault({ kind: "status", status: 401, message: echo }, () => client.t2i.submit({ prompt: "x" }))],
      ["400", withFault({ kind: "status", status: 400 }, () => client.t2i.submit({ prompt: "x" }))],
      ["429", withFault({ kind: "status", status: 429 }, () => client.t2i.submit({ prompt: "x" }))],
      ["500 on submit", withFault({ kind: "status-after-create", status: 500, message: echo }, () => client.t2i.submit({ prompt: "x" }))],
      ["reset", withFault({ kind: "reset" }, () => client.tasks.retrieve("t").status())],
      ["refused", withFault({ kind: "refuse" }, () => client.t2i.submit({ prompt: "x" }))],
      ["timeout", withFault({ kind: "hang" }, () => client.tasks.retrieve("t").status())],
      ["malformed", withFault({ kind: "malformed-json" }, () => client.tasks.retrieve("t").status())],
      ["not found", () => client.tasks.retrieve("task-unknown").status()],
      ["failed task", () => client.t2i.submit({ prompt: "[fail] x" }).wait()],
      ["wait timeout", () => client.t2v.submit({ prompt: "x" }).wait({ timeout: 10 })],
      ["abort", () => client.tasks.retrieve("t").wait({ signal: AbortSignal.abort() })],
    ];
    const names = new Set<string>();
    for (const [label, run] of failures) {
      const error = await driveToError(run());
      expect(error, label).toBeInstanceOf(ModellixError);
      names.add((error as Error).name);
      expect(everythingVisible(error), label).not.toContain(secretKey);
    }
    expect([...names].sort()).toEqual(
      [
        "UserAbortError",
        "AuthenticationError",
        "BadRequestError",
        "ConnectionError",
        "InvalidResponseError",
        "NotFoundError",
        "RateLimitError",
        "SubmitOutcomeUnknownError",
        "TaskFailedError",
        "RequestTimeoutError",
        "ValidationError",
        "WaitTimeoutError",
      ].sort(),
    );
  });

  it("from the client itself and log lines, also when the key comes from MODELLIX_API_KEY", async () => {
    vi.stubEnv("MODELLIX_API_KEY", secretKey);
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: unknown) => lines.push(m + JSON.stringify(f)),
      info: (m: string, f?: unknown) => lines.push(m + JSON.stringify(f)),
      warn: (m: string, f?: unknown) => lines.push(m + JSON.stringify(f)),
      error: (m: string, f?: unknown) => lines.push(m + JSON.stringify(f)),
    };
    const { fake } = setup();
    const client = new Modellix({ baseURL: "https://api.modellix.test", fetch: fake.fetch, logger, logLevel: "debug" });
    fake.inject({ kind: "status", status: 503, message: `Service Unavailable: ${secretKey}` });
    await driveToError(client.tasks.retrieve("nope").status());
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join("\n")).not.toContain(secretKey);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(secretKey);
    expect(JSON.stringify(client)).not.toContain(secretKey);
  });
});

describe("construction refuses unsafe settings", () => {
  it("a key with CR/LF (header injection) is refused", () => {
    for (const apiKey of ["abc\r\nX-Evil: 1", "abc\n", " abc"]) {
      const error = (() => {
        try {
          new Modellix({ apiKey });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ModellixError);
      expect(String(error)).not.toContain("abc");
    }
  });

  it("baseURL must be https except for localhost", () => {
    expect(() => new Modellix({ apiKey: "k", baseURL: "http://api.modellix.ai/api/v1" })).toThrow(/https/);
    expect(() => new Modellix({ apiKey: "k", baseURL: "ftp://x" })).toThrow(ModellixError);
    expect(() => new Modellix({ apiKey: "k", baseURL: "not a url" })).toThrow(ModellixError);
    expect(new Modellix({ apiKey: "k", baseURL: "http://127.0.0.1:8080" }).baseURL).toBe("http://127.0.0.1:8080");
    expect(new Modellix({ apiKey: "k", baseURL: "http://127.0.0.1:8080/api/v1/" }).baseURL).toBe("http://127.0.0.1:8080");
    expect(new Modellix({ apiKey: "k", baseURL: "http://localhost:3000/proxy/" }).baseURL).toBe("http://localhost:3000/proxy");
    expect(new Modellix({ apiKey: "k" }).baseURL).toBe("https://api.modellix.ai");
    expect(() => new Modellix({ apiKey: "k", baseURL: "https://api.modellix.ai/?x=1" })).toThrow(ModellixError);
  });
});

describe("task ids stay one path segment", () => {
  it.each(["a/b", "../../apikey/validate", "x?admin=1", "id#frag", "a b", "%2e%2e", "..%2Fx", "\u0000ctl"])("%j", async (id) => {
    const { fake, client } = setup({ maxRetries: 0 });
    await driveToError(client.tasks.retrieve(id).status());
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe(`/api/v1/tasks/${id}`);
    expect(request.rawPath).toBe(`/api/v1/tasks/${encodeURIComponent(id)}`);
    expect(request.query).toBe("");
  });
});

describe("client options", () => {
  it("nonsensical limits are refused with a ValidationError naming each option", () => {
    expect(() => new Modellix({ apiKey: "k", maxConcurrentTasks: 0, timeout: -1, maxRetries: 1.5 })).toThrow(
      "Invalid client options: timeout: must be a number of ms from 1 to 2147483647, or Infinity for no limit (got -1); maxRetries: must be a whole number, 0 or more; maxConcurrentTasks: must be a whole number, 1 or more",
    );
    expect(() => new Modellix({ apiKey: "k", maxConcurrentTasks: Number.POSITIVE_INFINITY })).toThrow(ModellixError);
    for (const timeout of [Number.NaN, 2 ** 31, 0, -5]) expect(() => new Modellix({ apiKey: "k", timeout }), String(timeout)).toThrow(ValidationError);
    expect(new Modellix({ apiKey: "k", timeout: Number.POSITIVE_INFINITY })).toBeInstanceOf(Modellix);
    expect(() => new Modellix({ apiKey: "k", pollInterval: { initialMs: Number.NaN } })).toThrow("pollInterval.initialMs");
    expect(() => new Modellix({ apiKey: "k", waitTimeouts: { t2v: 2 ** 40 } })).toThrow("waitTimeouts.t2v");
  });
});
