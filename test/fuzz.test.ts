import { inspect } from "node:util";
import fc from "fast-check";
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as sdk from "modellix";
import { Task } from "../src/task.js";
import Modellix, { InvalidResponseError, ModellixError, NotFoundError, ValidationError } from "modellix";
import { FakeModellix } from "modellix/testing";

/** Crafted answers (oversized, hostile, echoing the key) come from msw at this origin; the fake serves the rest. */
const api = "https://hostile.modellix.test/api/v1";
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const runs = { numRuns: 60, seed: 20260601 };

/** Strings built from the characters that break paths and headers, plus any Unicode (lone surrogates included). */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom("/", "..", ".", "?", "#", "%", "%2e", "%2F", "\\", "\r\n", "\0", " ", "@", ":", "//evil.example", "\ud800", "\udc00", "é", "\u202e"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

/** A fake reached through a fetch that records each request's URL and headers, as they left the client. */
function watchedFake() {
  const fake = new FakeModellix({ rateLimit: 1_000_000, strictModels: false });
  const sent: Request[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    sent.push(request);
    return fake.fetch(request);
  };
  return { fake, sent, fetch };
}

describe("caller-supplied path segments", () => {
  it("random task ids never change the request path or host", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (id) => {
        const { fake, sent, fetch } = watchedFake();
        const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch, maxRetries: 0, logLevel: "off" });
        const error = await Promise.resolve()
          .then(() => client.tasks.retrieve(id).status())
          .catch((e: unknown) => e);
        if (error instanceof ValidationError) {
          expect(sent).toHaveLength(0);
          return;
        }
        expect(error).toBeInstanceOf(NotFoundError);
        expect(sent).toHaveLength(1);
        expect(new URL(sent[0]?.url ?? "").host).toBe("api.modellix.test");
        const [record] = fake.requests;
        expect(record?.rawPath.split("/")).toEqual(["", "api", "v1", "tasks", encodeURIComponent(id)]);
        expect(record?.path).toBe(`/api/v1/tasks/${id}`);
        expect(record?.query).toBe("");
      }),
      runs,
    );
  });

  it("random model slugs are refused, or land in exactly the /api/v1/{provider}/{model_id} path", async () => {
    vi.useFakeTimers();
    const slug = fc.oneof(
      hostile,
      fc.tuple(hostile, hostile).map(([provider, model]) => `${provider}/${model}`),
      fc.tuple(fc.stringMatching(/^[a-z0-9][\w.-]{0,8}$/), fc.stringMatching(/^[a-z0-9][\w.-]{0,8}$/)).map(([provider, model]) => `${provider}/${model}`),
    );
    await fc.assert(
      fc.asyncProperty(slug, async (model) => {
        const { fake, sent, fetch } = watchedFake();
        const client = new Modellix({ apiKey: "k", baseURL: "https://api.modellix.test", fetch, maxRetries: 0, logLevel: "off" });
        const outcome = await client.t2i.submit({ model, prompt: "x" }).catch((e: unknown) => e);
        if (outcome instanceof ValidationError) {
          expect(sent).toHaveLength(0);
          return;
        }
        expect(outcome).toBeInstanceOf(Task);
        const [provider, modelId, ...rest] = model.split("/");
        expect(rest).toEqual([]);
        expect(new URL(sent[0]?.url ?? "").host).toBe("api.modellix.test");
        expect(fake.requests[0]?.rawPath).toBe(`/api/v1/${encodeURIComponent(provider ?? "")}/${encodeURIComponent(modelId ?? "")}`);
        expect(`${fake.tasks[0]?.provider}/${fake.tasks[0]?.modelId}`).toBe(model);
      }),
      runs,
    );
  });
});

describe("hostile responses", () => {
  const client = (options: sdk.ModellixOptions = {}) => new Modellix({ apiKey: "k", baseURL: api, maxRetries: 0, logLevel: "off", ...options });
  const taskAnswer = (data: unknown) => http.get(`${api}/tasks/:id`, () => HttpResponse.json({ code: 0, message: "success", data }));
  const success = (resources: unknown[]) => taskAnswer({ task_id: "t1", status: "success", result: { resources } });

  it("a body over maxResponseBytes is refused with a clear error, and a streamed one is not read to its end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 0, max: 12_000 }), fc.boolean(), async (maxResponseBytes, size, streamed) => {
        let produced = 0;
        const chunk = new TextEncoder().encode(" ".repeat(256));
        const envelope = new TextEncoder().encode('{"code":0,"message":"success","data":{"task_id":"t1","status":"pending"}}');
        server.use(
          http.get(`${api}/tasks/:id`, () => {
            if (!streamed) return new HttpResponse(new Uint8Array([...envelope, ...new Uint8Array(size).fill(32)]), { headers: { "content-type": "application/json" } });
            // An endless body without Content-Length: only a bounded reader survives it.
            const body = new ReadableStream<Uint8Array>({
              start: (controller) => controller.enqueue(envelope),
              pull: (controller) => {
                produced += chunk.byteLength;
                if (produced > 1_000_000) controller.close();
                else controller.enqueue(chunk);
              },
            });
            return new HttpResponse(body, { headers: { "content-type": "application/json" } });
          }),
        );
        const outcome = await client({ maxResponseBytes }).tasks.retrieve("t1").status().catch((e: unknown) => e);
        const total = envelope.byteLength + (streamed ? Number.POSITIVE_INFINITY : size);
        if (total <= maxResponseBytes) {
          expect(outcome).toMatchObject({ status: "pending" });
          return;
        }
        expect(outcome).toBeInstanceOf(InvalidResponseError);
        expect((outcome as Error).message).toContain(`larger than maxResponseBytes (${maxResponseBytes})`);
        if (streamed) expect(produced).toBeLessThan(maxResponseBytes + 64 * 1024);
      }),
      { ...runs, numRuns: 40 },
    );
  });

  it("more than 1,000 resources is an InvalidResponseError; up to 1,000 are kept", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: 1_200 }), fc.constantFrom(1_000, 1_001, 5_000)), async (count) => {
        server.use(success(Array.from({ length: count }, (_, i) => ({ url: `https://cdn.example/${i}.png`, type: "image" }))));
        const outcome = await client().tasks.retrieve("t1").status().catch((e: unknown) => e);
        if (count <= 1_000) expect(outcome).toMatchObject({ status: "success", resources: { length: count } });
        else expect(outcome).toMatchObject({ name: "InvalidResponseError", message: expect.stringContaining("more than 1000") });
      }),
      { ...runs, numRuns: 25 },
    );
  });

  it("a resource URL is accepted only when it is an http(s) URL", async () => {
    const candidate = fc.oneof(
      fc.webUrl({ validSchemes: ["http", "https", "ftp", "file", "ws", "javascript", "data"] }),
      fc.constantFrom("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", " https://a.example/x", "http://", "https://", "https:\\\\evil", "HTTPS://cdn.example/A.png", "http:/x"),
      fc.tuple(fc.constantFrom("http://", "https://", ""), hostile).map(([scheme, rest]) => scheme + rest),
    );
    await fc.assert(
      fc.asyncProperty(candidate, async (url) => {
        server.use(success([{ url, type: "image" }]));
        const outcome = await client().tasks.retrieve("t1").status().catch((e: unknown) => e);
        if (outcome instanceof InvalidResponseError) return;
        const accepted = (outcome as sdk.TaskSnapshot).resources[0]?.url ?? "";
        expect(accepted).toBe(url);
        expect(["http:", "https:"]).toContain(new URL(accepted).protocol);
      }),
      { ...runs, numRuns: 100 },
    );
  });

  it("__proto__ and constructor keys anywhere in an answer are inert", async () => {
    const poison = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
    const spots = fc.record({ envelope: fc.boolean(), data: fc.boolean(), result: fc.boolean(), resource: fc.boolean(), failed: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(spots, async (at) => {
        const put = (yes: boolean) => (yes ? `${poison},` : "");
        const ending = at.failed
          ? `"status":"failed","error":{${poison},"category":"Content Policy","detail":"no"}`
          : `"status":"success","result":{${put(at.result)}"resources":[{${put(at.resource)}"url":"https://cdn.example/a.png","type":"image"}]}`;
        const body = `{${put(at.envelope)}"code":0,"message":"success","data":{${put(at.data)}"task_id":"t1",${ending}}}`;
        server.use(http.get(`${api}/tasks/:id`, () => new HttpResponse(body, { headers: { "content-type": "application/json" } })));
        const outcome = await client().tasks.retrieve("t1").wait().catch((e: unknown) => e);
        const plain: Record<string, unknown> = {};
        expect(plain.polluted).toBeUndefined();
        expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
        if (at.failed) {
          expect(outcome).toMatchObject({ name: "TaskFailedError", category: "Content Policy" });
          return;
        }
        const result = outcome as sdk.TaskResult;
        const resource = result.resources[0] as unknown as Record<string, unknown>;
        expect(resource.polluted).toBeUndefined();
        expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
        expect((result.data as Record<string, unknown>).polluted).toBeUndefined();
        expect(resource.url).toBe("https://cdn.example/a.png");
      }),
      { ...runs, numRuns: 32 },
    );
  });
});

describe("construction refuses unsafe settings", () => {
  it("an API key with anything but visible ASCII (CR/LF first) is refused, and the message does not repeat it", () => {
    const key = fc.oneof(
      fc.tuple(fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("\r", "\n", "\r\n", "\0", " ", "\t", "é"), fc.string({ unit: "binary", maxLength: 8 })).map(
        ([a, bad, b]) => `mlx${a}${bad}${b}`,
      ),
      fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
    );
    fc.assert(
      fc.property(key, fc.boolean(), (apiKey, fromEnv) => {
        // An environment variable cannot hold NUL.
        fc.pre(!(fromEnv && apiKey.includes("\0")));
        vi.stubEnv("MODELLIX_API_KEY", fromEnv ? apiKey : undefined);
        const refused = (() => {
          try {
            new Modellix({ ...(fromEnv ? {} : { apiKey }), baseURL: "https://api.modellix.test" });
          } catch (error) {
            return error;
          }
        })();
        if (/^[\x21-\x7e]+$/.test(apiKey)) expect(refused).toBeUndefined();
        else {
          expect(refused).toBeInstanceOf(ModellixError);
          expect(visibleParts(refused)).not.toContain(apiKey);
        }
      }),
      { ...runs, numRuns: 200 },
    );
  });

  it("an accepted key is sent as exactly `Bearer <key>`", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), async (apiKey) => {
        const { sent, fetch } = watchedFake();
        await new Modellix({ apiKey, baseURL: "https://api.modellix.test", fetch, maxRetries: 0, logLevel: "off" }).tasks
          .retrieve("t")
          .status()
          .catch(() => undefined);
        expect(sent[0]?.headers.get("authorization")).toBe(`Bearer ${apiKey}`);
      }),
      { ...runs, numRuns: 100 },
    );
  });

  it("baseURL must be https, or http only for localhost", () => {
    const local = ["localhost", "127.0.0.1", "[::1]", "api.localhost"];
    const base = fc.oneof(
      fc.webUrl({ validSchemes: ["http", "https", "ftp", "ws", "file"] }),
      fc.tuple(fc.constantFrom("http", "https", "HTTP", "ftp", "javascript"), fc.constantFrom(...local, "localhost.evil.example", "127.0.0.1.nip.io", "evil.example")).map(
        ([scheme, name]) => `${scheme}://${name}:8080/api/v1`,
      ),
      hostile,
    );
    fc.assert(
      fc.property(base, (baseURL) => {
        let client: Modellix | undefined;
        try {
          client = new Modellix({ apiKey: "k", baseURL });
        } catch (error) {
          expect(error).toBeInstanceOf(ModellixError);
          return;
        }
        const url = new URL(client.baseURL);
        expect(url.protocol === "https:" || (url.protocol === "http:" && (local.includes(url.hostname) || url.hostname.endsWith(".localhost")))).toBe(true);
      }),
      { ...runs, numRuns: 300 },
    );
  });
});

/** Everything a user could print or serialise of an error and its cause chain, hidden fields included. */
function visibleParts(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const e = current as Error & { toJSON?: () => unknown; headers?: unknown; body?: unknown };
    parts.push(String(e), e.stack ?? "", inspect(e, { depth: 10 }), inspect(e, { depth: 10, showHidden: true }));
    parts.push(JSON.stringify(e), JSON.stringify(e.toJSON?.() ?? null), JSON.stringify(Object.entries(e)), JSON.stringify([e.headers, e.body]));
    current = e.cause;
  }
  return parts.join("\n");
}

describe("the API key never leaks, even when the server echoes it everywhere", () => {
  const statuses: Record<string, [status: number, category: string]> = {
    s400: [400, "Bad Request"],
    s401: [401, "Unauthorized"],
    s402: [402, "Payment Required"],
    s403: [403, "Forbidden"],
    s404: [404, "Not Found"],
    s422: [422, "Unprocessable Entity"], // a status with no class of its own: a plain APIError
    expired: [404, "Not Found: Task expired"],
    s429: [429, "Too Many Requests"],
    s500: [500, "Internal Server Error"],
  };

  /** An API that puts the caller's key into every message, header, id and body field it can. */
  function echoingApi() {
    const keyOf = (request: Request) => (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
    const fail = (request: Request, status: number, category: string, extra: Record<string, unknown> = {}) => {
      const key = keyOf(request);
      return HttpResponse.json(
        { code: status, message: `${category}: key ${key} is echoed`, data: { key, nested: [{ key }] }, [key]: key, ...extra },
        { status, headers: { "x-request-id": `req-${key}`, "x-echo": key, "retry-after": "0" } },
      );
    };
    const task = (request: Request, data: Record<string, unknown>) =>
      HttpResponse.json({ code: 0, message: "success", data: { task_id: "t1", echo: keyOf(request), ...data } }, { headers: { "x-request-id": `req-${keyOf(request)}` } });
    server.use(
      http.post(`${api}/echo/:scenario`, ({ request }) => fail(request, 500, "Internal Server Error")),
      http.get(`${api}/tasks/:scenario`, async ({ request, params }) => {
        const key = keyOf(request);
        const status = statuses[String(params.scenario)];
        if (status) return fail(request, ...status);
        switch (params.scenario) {
          case "code":
            return HttpResponse.json({ code: 10001, message: `Internal Error: ${key}`, data: null }, { headers: { "x-echo": key } });
          case "garbage":
            return new HttpResponse(`not json ${key}`, { headers: { "x-request-id": key } });
          case "drop":
            return HttpResponse.error();
          case "hang":
            await delay("infinite");
            return HttpResponse.json({});
          case "failed":
            return task(request, { status: "failed", message: `Content Policy: ${key}`, error: { code: key, category: `Policy ${key}`, detail: key } });
          default:
            return task(request, { status: "processing" });
        }
      }),
    );
  }

  /** Every real failure the SDK can produce, each as the error it throws. */
  function failures(client: Modellix, key: string): Array<[string, () => Promise<unknown> | unknown]> {
    const read = (scenario: string) => () => client.tasks.retrieve(scenario).status();
    return [
      ["validation", () => client.t2i.submit({ prompt: 42 } as never)],
      ["bad option", () => new Modellix({ apiKey: key, baseURL: "ftp://x" })],
      ...[...Object.keys(statuses), "code", "garbage", "drop", "hang"].map((s): [string, () => unknown] => [s, read(s)]),
      ["unknown submit outcome", () => client.t2i.submit({ model: "echo/s500", prompt: "x" })],
      ["failed task", () => client.tasks.retrieve("failed").wait()],
      ["wait timeout", () => client.tasks.retrieve("running").wait({ timeout: 30 })],
      ["abort", () => client.tasks.retrieve("running").wait({ signal: AbortSignal.abort() })],
    ];
  }

  const errorClasses = Object.entries(sdk)
    .filter(([, value]) => typeof value === "function" && (value === ModellixError || value.prototype instanceof ModellixError))
    .map(([name]) => name);

  it("from every exported error class, produced by real failures, and from log lines (key given or from MODELLIX_API_KEY)", async () => {
    const key = fc.tuple(fc.stringMatching(/^[\x21-\x7e]{12,32}$/), fc.boolean()).map(([tail, env]) => ({ key: `mlx_${tail}`, env }));
    await fc.assert(
      fc.asyncProperty(key, async ({ key, env }) => {
        echoingApi();
        const lines: string[] = [];
        const log = (message: string, fields?: unknown) => lines.push(message, inspect(fields, { depth: 10 }));
        vi.stubEnv("MODELLIX_API_KEY", env ? key : undefined);
        const client = new Modellix({
          ...(env ? {} : { apiKey: key }),
          baseURL: api,
          maxRetries: 0,
          timeout: 50,
          logLevel: "debug",
          logger: { debug: log, info: log, warn: log, error: log },
        });
        const seen = new Set<string>();
        for (const [label, run] of failures(client, key)) {
          const error = await Promise.resolve().then(run).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, label).toBeInstanceOf(ModellixError);
          seen.add((error as Error).constructor.name);
          const visible = visibleParts(error);
          expect(visible, label).not.toContain(key);
          expect(visible, label).not.toContain(JSON.stringify(key).slice(1, -1));
        }
        expect([...seen].sort()).toEqual([...errorClasses].sort());
        expect(lines.join("\n")).not.toContain(key);
        expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(key);
      }),
      { ...runs, numRuns: 6 },
    );
  });
});
