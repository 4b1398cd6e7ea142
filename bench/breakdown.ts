/**
 * Where the SDK's per-call time goes: each piece of a submit + poll cycle timed
 * alone against its bare equivalent (no network unless stated), interleaved.
 * Complements overhead.ts; the pieces are summed per cycle and set against the
 * whole SDK cycle over the same stub fetch. ky (a dev dependency now) is timed for
 * reference: the transport used it before it spoke fetch directly.
 */
import ky from "ky";
import { startFakeServerProcess } from "./lib/child.js";
import { type Cost, interleave, interleaveRounds } from "./lib/measure.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { internals, sdk } from "./lib/sdk.js";
import { micros, ratio, round } from "./lib/stats.js";

const { readEnvelope, parseRateLimit, defaultRetryPolicy, fetchWithin, withRetries, prepareSubmit, specOf } = internals;

const MODEL = "bytedance/seedream-4-5-t2i";
const INPUT = { model: MODEL, prompt: "a lighthouse at dawn", size: "1024*1024" } as const;
const KEY = "bench-key";
const BASE = "https://api.modellix.test/api/v1";
/** Rounds of the socket-bound comparisons; each cost is the median over them. */
const HTTP_ROUNDS = 5;

const SUBMIT_BODY = JSON.stringify({
  code: 0,
  message: "success",
  data: { status: "pending", task_id: "task-1-abc", model_id: "seedream-4-5-t2i", get_result: { method: "GET", url: `${BASE}/tasks/task-1-abc` } },
});
const TASK_BODY = JSON.stringify({
  code: 0,
  message: "success",
  data: {
    task_id: "task-1-abc",
    status: "success",
    model_id: "seedream-4-5-t2i",
    created_at: "2026-01-01T00:00:00.000Z",
    result: { resources: [{ url: "https://files.modellix.test/task-1-abc/0.png", type: "image", width: 1024, height: 1024, format: "png" }] },
  },
});
const HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "x-request-id": "req-1",
  "x-ratelimit-limit": "600",
  "x-ratelimit-remaining": "599",
  "x-ratelimit-reset": "1767225660",
  "access-control-allow-origin": "*",
};

/** A fetch answering at once with canned envelopes; it reads the request body like a real one would. */
const stubFetch: typeof fetch = async (input, init) => {
  const method = input instanceof Request ? input.method : (init?.method ?? "GET");
  if (input instanceof Request) await input.text();
  return new Response(method === "POST" ? SUBMIT_BODY : TASK_BODY, { status: 200, headers: HEADERS });
};

interface Piece {
  name: string;
  /** How many times one submit + poll cycle runs it. */
  perCycle: number;
  sdk: Cost;
  bare: Cost;
  bareName: string;
}

async function inProcessPieces(): Promise<Piece[]> {
  const ops = 20_000;
  const chunk = 500;
  const spec = specOf("t2i");
  const pieces: Piece[] = [];
  const add = (name: string, perCycle: number, bareName: string, costs: { sdk: Cost; bare: Cost }) =>
    pieces.push({ name, perCycle, bareName, ...costs });

  add("validation (`prepareSubmit`: zod/mini schema + catalog check)", 1, "none", await interleave({ sdk: () => prepareSubmit(spec, INPUT), bare: () => INPUT }, ops, chunk));

  const quota = new sdk.LocalQuota(1_000_000);
  let slot = 0;
  add("quota (`LocalQuota` acquire + release)", 1, "none", await interleave(
    {
      sdk: async () => {
        const id = String(slot++);
        await quota.acquire(id);
        quota.release(id);
      },
      bare: async () => undefined,
    },
    ops,
    chunk,
  ));

  const policy = defaultRetryPolicy;
  const attempt = async () => 1;
  add("retry wrapper (`withRetries`)", 2, "the bare async call", await interleave(
    { sdk: () => withRetries(attempt, { policy, retryable: () => true }), bare: () => attempt() },
    ops,
    chunk,
  ));

  const headers = { accept: "application/json", authorization: `Bearer ${KEY}` };
  add("HTTP layer (`fetchWithin`: per-request timeout and abort wiring)", 2, "the stub fetch alone", await interleave(
    {
      sdk: () => fetchWithin(stubFetch, `${BASE}/tasks/task-1-abc`, { method: "GET", headers }, { timeoutMs: 30_000 }, (answer) => answer.text()),
      bare: async () => (await stubFetch(`${BASE}/tasks/task-1-abc`, { method: "GET", headers })).text(),
    },
    ops / 2,
    chunk,
  ));

  const response = new Response(TASK_BODY, { status: 200, headers: HEADERS });
  const redact = (text: string) => text.split(KEY).join("[redacted]");
  add("envelope + rate-limit headers", 2, "`JSON.parse`", await interleave(
    {
      sdk: () => {
        parseRateLimit(response.headers);
        return readEnvelope(TASK_BODY, response, redact);
      },
      bare: () => JSON.parse(TASK_BODY),
    },
    ops,
    chunk,
  ));
  return pieces;
}

/** For reference: ky, the HTTP client the transport used before it spoke fetch directly, against the stub fetch alone. */
async function kyInProcess(): Promise<{ post: Pair; get: Pair }> {
  const instance = ky.create({ prefixUrl: BASE, retry: 0, throwHttpErrors: false, timeout: 30_000, fetch: stubFetch, headers: { accept: "application/json", authorization: `Bearer ${KEY}` } });
  const { model, ...body } = INPUT;
  const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const post = await interleave(
    {
      sdk: async () => (await instance(`t2i/${model}/async`, { method: "POST", json: body })).text(),
      bare: async () => (await stubFetch(`${BASE}/t2i/${model}/async`, { method: "POST", headers, body: JSON.stringify(body) })).text(),
    },
    5000,
    500,
  );
  const get = await interleave(
    {
      sdk: async () => (await instance("tasks/task-1-abc")).text(),
      bare: async () => (await stubFetch(`${BASE}/tasks/task-1-abc`, { headers })).text(),
    },
    5000,
    500,
  );
  return { post, get };
}

/** The whole SDK cycle and the raw cycle over the same stub fetch: the SDK's own cost without sockets. */
async function stubCycle(): Promise<Pair> {
  const client = new sdk.Modellix({ apiKey: KEY, baseURL: BASE, fetch: stubFetch, logLevel: "off", maxConcurrentTasks: 1_000_000, pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } });
  const { model, ...body } = INPUT;
  const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  return interleave(
    {
      sdk: async () => {
        const task = await client.t2i.submit(INPUT);
        await task.status();
      },
      bare: async () => {
        const submitted = (await (await stubFetch(`${BASE}/t2i/${model}/async`, { method: "POST", headers, body: JSON.stringify(body) })).json()) as { data: { task_id: string } };
        await (await stubFetch(`${BASE}/tasks/${encodeURIComponent(submitted.data.task_id)}`, { headers })).json();
      },
    },
    5000,
    250,
  );
}

type Pair = { sdk: Cost; bare: Cost };

/**
 * Over real sockets to the fake server (in another process): the SDK's HTTP
 * layer against raw fetch, which adds what undici spends on the abort signal a
 * timeout needs; and, for reference, ky against raw fetch (ky's `Request`
 * cloning included).
 */
async function overHttp(): Promise<{ fetchWithin: Pair; kyPost: Pair; kyGet: Pair }> {
  const server = await startFakeServerProcess({ durationMs: 0, pendingMs: 0, rateLimit: 1e9, maxConcurrentTasks: 1e9 });
  try {
    const { model, ...body } = INPUT;
    const headers = { accept: "application/json", authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    const submitURL = `${server.url}/t2i/${model}/async`;
    const submitted = (await (await fetch(submitURL, { method: "POST", headers, body: JSON.stringify(body) })).json()) as { data: { task_id: string } };
    const taskPath = `tasks/${encodeURIComponent(submitted.data.task_id)}`;
    const readTask = async () => (await fetch(`${server.url}/${taskPath}`, { headers })).text();
    const fetchWithinPair = await interleaveRounds(
      {
        sdk: () => fetchWithin(fetch, `${server.url}/${taskPath}`, { method: "GET", headers }, { timeoutMs: 30_000 }, (answer) => answer.text()),
        bare: readTask,
      },
      HTTP_ROUNDS,
      1000,
      50,
    );
    const instance = ky.create({ prefixUrl: server.url, retry: 0, throwHttpErrors: false, timeout: 30_000, headers: { accept: "application/json", authorization: `Bearer ${KEY}` } });
    const kyGet = await interleaveRounds({ sdk: async () => (await instance(taskPath)).text(), bare: readTask }, HTTP_ROUNDS, 1000, 50);
    const kyPost = await interleaveRounds(
      {
        sdk: async () => (await instance(`t2i/${model}/async`, { method: "POST", json: body })).text(),
        bare: async () => (await fetch(submitURL, { method: "POST", headers, body: JSON.stringify(body) })).text(),
      },
      HTTP_ROUNDS,
      1000,
      50,
    );
    return { fetchWithin: fetchWithinPair, kyPost, kyGet };
  } finally {
    await server.close();
  }
}

/** Measures the pieces and saves `results/breakdown.json`. */
export async function measureBreakdown(): Promise<BenchResult> {
  const pieces = await inProcessPieces();
  const whole = await stubCycle();
  const kyStub = await kyInProcess();
  const http = await overHttp();
  const added = (piece: Pick<Piece, "sdk" | "bare" | "perCycle">) => (piece.sdk.cpuUs - piece.bare.cpuUs) * piece.perCycle;
  const explained = pieces.reduce((sum, piece) => sum + added(piece), 0);
  const wholeAdded = whole.sdk.cpuUs - whole.bare.cpuUs;
  const rows = pieces.map((piece) => [
    piece.name,
    micros(piece.sdk.cpuUs),
    `${piece.bareName}: ${micros(piece.bare.cpuUs)}`,
    `× ${piece.perCycle}`,
    micros(added(piece)),
  ]);
  rows.push(
    ["everything else (Task handle, poll loop, submit path, promises)", "", "", "", micros(wholeAdded - explained)],
    ["**whole cycle, stub fetch** (SDK vs raw fetch calls)", micros(whole.sdk.cpuUs), `raw: ${micros(whole.bare.cpuUs)}`, "× 1", `**${micros(wholeAdded)}**`],
    ["over HTTP: the HTTP layer (`fetchWithin`, fetch with a timeout signal), GET", micros(http.fetchWithin.sdk.cpuUs), `fetch: ${micros(http.fetchWithin.bare.cpuUs)}`, "× 2", micros(added({ ...http.fetchWithin, perCycle: 2 }))],
    ["reference: ky POST, stub fetch", micros(kyStub.post.sdk.cpuUs), `stub fetch: ${micros(kyStub.post.bare.cpuUs)}`, "(× 1)", micros(added({ ...kyStub.post, perCycle: 1 }))],
    ["reference: ky GET, stub fetch", micros(kyStub.get.sdk.cpuUs), `stub fetch: ${micros(kyStub.get.bare.cpuUs)}`, "(× 1)", micros(added({ ...kyStub.get, perCycle: 1 }))],
    ["reference: ky POST over HTTP", micros(http.kyPost.sdk.cpuUs), `fetch: ${micros(http.kyPost.bare.cpuUs)}`, "(× 1)", micros(added({ ...http.kyPost, perCycle: 1 }))],
    ["reference: ky GET over HTTP", micros(http.kyGet.sdk.cpuUs), `fetch: ${micros(http.kyGet.bare.cpuUs)}`, "(× 1)", micros(added({ ...http.kyGet, perCycle: 1 }))],
  );
  const data = {
    pieces: pieces.map((piece) => ({ ...piece, addedPerCycleUs: round(added(piece)) })),
    stubCycle: { ...whole, addedUs: round(wholeAdded), ratio: round(whole.sdk.cpuUs / whole.bare.cpuUs, 3) },
    kyInProcess: kyStub,
    overHttp: http,
  };
  return saveResult({
    name: "breakdown",
    title: "1b. Where the time goes (CPU per operation)",
    setup:
      "Each piece of a cycle timed alone against its bare equivalent, interleaved in chunks, in one process. " +
      "In-process pieces use a stub `fetch` that answers at once with the fake's envelopes (and reads the request body like a real fetch). " +
      "\"Everything else\" is the whole stub-fetch cycle's added CPU minus the pieces above it. " +
      `The socket-bound rows are medians of ${HTTP_ROUNDS} interleaved rounds of 1,000 requests a side. ` +
      "The \"over HTTP\" row times the SDK's HTTP layer against raw `fetch` over real sockets to the fake server: it adds what undici spends on the abort signal every timeout needs, which a stub cannot show. " +
      "The reference rows time ky, the HTTP client the transport used until it spoke fetch directly, against the stub and against raw `fetch` over real sockets to the fake server " +
      "(which includes what ky's `Request` cloning costs undici); they are not part of the SDK's cycle.",
    rows: [
      {
        id: 1,
        measurement: "SDK CPU per cycle without sockets (stub fetch)",
        modellix: micros(whole.sdk.cpuUs),
        baseline: `raw ${micros(whole.bare.cpuUs)}`,
        ratio: ratio(whole.sdk.cpuUs / whole.bare.cpuUs),
        target: "",
      },
    ],
    detail: table(["piece", "SDK", "bare", "per cycle", "added per cycle"], rows),
    data,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await measureBreakdown();
