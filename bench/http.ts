/**
 * 1b. The HTTP layer: what one request costs through the SDK's transport, and
 * through ky used in several ways, against raw fetch, over real sockets to the
 * local API server (GET /tasks/{id} and the submit POST). Finds ky's cheapest
 * correct use; the figures are for the transport's design, not a target.
 */
import ky, { type KyInstance } from "ky";
import { type RemoteServer, startApiServer } from "./lib/child.js";
import { INPUT, MODEL } from "./lib/clients.js";
import { type Cost, interleave } from "./lib/measure.js";
import { type BenchResult, saveResult, table } from "./lib/results.js";
import { internals, sdk } from "./lib/sdk.js";
import { median, micros, ratio, round } from "./lib/stats.js";

const { Transport, createLogger, defaultRetryPolicy, withinDeadline } = internals;

/** The transport of the SDK with the client's defaults, over `fetchImpl`. */
function sdkTransport(origin: string, fetchImpl: typeof fetch | undefined) {
  return new Transport({
    apiKey: KEY,
    baseURL: origin,
    timeoutMs: TIMEOUT_MS,
    retry: defaultRetryPolicy,
    fetch: fetchImpl,
    retryUnsafeSubmits: false,
    maxResponseBytes: 8 * 1024 * 1024,
    logger: createLogger(undefined, "off", undefined),
    headers: { "user-agent": "modellix-bench" },
    hooks: undefined,
  });
}

const ROUNDS = 5;
const OPS = 400;
/** Cycles per round of the in-process (stub fetch) comparison. */
const IN_PROCESS_CYCLES = 1500;
const CHUNK = 50;
const KEY = "bench-key";
const TIMEOUT_MS = 30_000;
const HEADERS = { accept: "application/json", authorization: `Bearer ${KEY}`, "user-agent": "modellix-bench" };
const BODY = JSON.stringify(INPUT);

type Operation = () => Promise<unknown>;
interface Variant {
  label: string;
  note: string;
  get: Operation;
  post: Operation;
}

/** Reads the answer the way the transport does: text, then JSON. */
async function readJson(response: Response): Promise<unknown> {
  const data = JSON.parse(await response.text()) as { data?: { task_id?: string } };
  if (!response.ok || !data.data) throw new Error(`unexpected answer ${response.status}`);
  return data;
}

function variants(origin: string): Variant[] {
  const api = `${origin}/api/v1`;
  const getURL = `${api}/tasks/task-1`;
  const postURL = `${api}/${MODEL}`;
  const postHeaders = { ...HEADERS, "content-type": "application/json" };
  const base: KyInstance = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, prefixUrl: api, fetch: (input, init) => fetch(input, init) });
  const hooked = base.extend({ hooks: { afterResponse: [() => undefined] } });
  /**
   * ky as the URL and header builder only: the request ky builds carries no body
   * and no signal; the serialized body and the deadline's signal go straight to
   * fetch, through options ky passes on untouched (`findUnknownOptions`).
   */
  const direct = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    prefixUrl: api,
    fetch: (input, init) => {
      const request = input as Request;
      const { rawBody, deadline } = (init ?? {}) as { rawBody?: string; deadline?: AbortSignal };
      return fetch(request.url, { method: request.method, headers: request.headers, body: rawBody, signal: deadline, redirect: request.redirect });
    },
  });
  const directCall = (signal: AbortSignal, post: boolean) =>
    direct(post ? MODEL : "tasks/task-1", {
      method: post ? "POST" : "GET",
      headers: post ? { ...HEADERS, "content-type": "application/json" } : HEADERS,
      redirect: post ? "manual" : "follow",
      rawBody: post ? JSON.stringify(INPUT) : undefined,
      deadline: signal,
    } as Parameters<KyInstance>[1]);
  /** ky as the URL, header and JSON builder, with the deadline's signal: ky's default way. */
  const kyCall = (instance: KyInstance, signal: AbortSignal | undefined, post: boolean) =>
    instance(post ? MODEL : "tasks/task-1", { method: post ? "POST" : "GET", headers: HEADERS, signal, json: post ? INPUT : undefined, redirect: post ? "manual" : "follow" });
  const deadline = <T>(run: (signal: AbortSignal) => Promise<T>) => withinDeadline({ timeoutMs: TIMEOUT_MS }, run);

  const transport = sdkTransport(origin, undefined);

  return [
    {
      label: "fetch",
      note: "`fetch(url, init)`, `text()`, `JSON.parse`: the floor",
      get: async () => readJson(await fetch(getURL, { headers: HEADERS })),
      post: async () => readJson(await fetch(postURL, { method: "POST", headers: postHeaders, body: BODY, redirect: "manual" })),
    },
    {
      label: "fetch + deadline",
      note: "the same inside the transport's `withinDeadline` (an AbortController, a timer, the signal passed to fetch)",
      get: () => deadline(async (signal) => readJson(await fetch(getURL, { headers: HEADERS, signal }))),
      post: () => deadline(async (signal) => readJson(await fetch(postURL, { method: "POST", headers: postHeaders, body: BODY, redirect: "manual", signal }))),
    },
    {
      label: "ky, no signal",
      note: "`ky.create({ retry: 0, timeout: false, throwHttpErrors: false, prefixUrl })`, `json` body, no hooks, no signal",
      get: async () => readJson(await kyCall(base, undefined, false)),
      post: async () => readJson(await kyCall(base, undefined, true)),
    },
    {
      label: "ky + deadline signal",
      note: "the same with the deadline's signal passed to ky (ky then combines it with its own: `AbortSignal.any`): ky's default way",
      get: () => deadline(async (signal) => readJson(await kyCall(base, signal, false))),
      post: () => deadline(async (signal) => readJson(await kyCall(base, signal, true))),
    },
    {
      label: "ky + deadline + afterResponse hook",
      note: "the same with one no-op `afterResponse` hook (ky clones every response for it)",
      get: () => deadline(async (signal) => readJson(await kyCall(hooked, signal, false))),
      post: () => deadline(async (signal) => readJson(await kyCall(hooked, signal, true))),
    },
    {
      label: "ky as a builder: body and signal straight to fetch",
      note: "ky builds the URL and headers (hooks still run); the request it builds has no body and no signal; the `fetch` option sends the JSON text with the deadline's signal: what the transport does",
      get: () => deadline(async (signal) => readJson(await directCall(signal, false))),
      post: () => deadline(async (signal) => readJson(await directCall(signal, true))),
    },
    {
      label: "SDK transport",
      note: "`Transport.get()` / `Transport.submit()`: p-retry, the rate-limit pacer, the deadline, ky, the body-size limit, the envelope, rate-limit headers",
      get: () => transport.get("tasks/task-1"),
      post: () => transport.submit(`${MODEL}`, INPUT, { type: "t2i", model: MODEL }),
    },
  ];
}

/**
 * A fetch answering at once, in-process, with the API's JSON (content-length set,
 * as the server sends it); it reads a request body like a real fetch.
 */
function stubFetch(): typeof fetch {
  const now = Date.now();
  const headers = {
    "content-type": "application/json",
    "x-request-id": "req-1",
    "x-ratelimit-limit": "100000",
    "x-ratelimit-remaining": "99999",
    "x-ratelimit-reset": String(Math.floor(now / 1000) + 60),
  };
  const task = JSON.stringify({
    code: 0,
    message: "success",
    data: {
      task_id: "task-1",
      status: "success",
      model_id: MODEL,
      result: { resources: [{ url: "https://cdn.modellix.test/task-1.png", type: "image", width: 2048, height: 2048, format: "png" }] },
      result_expires_at: now + 86_400_000,
    },
  });
  let count = 0;
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const method = request?.method ?? init?.method ?? "GET";
    if (request?.body) await request.text();
    const id = `task-${++count}`;
    const text =
      method === "POST" ? JSON.stringify({ code: 0, message: "success", data: { status: "pending", task_id: id, model_id: MODEL, get_result: { method: "GET", url: `/api/v1/tasks/${id}` } } }) : task;
    return new Response(text, { status: 200, headers: { ...headers, "content-length": String(Buffer.byteLength(text)) } });
  };
}

/** Without sockets: a whole cycle through the SDK, its transport alone, and the bare stub, over the same stub fetch. */
async function inProcess(): Promise<Record<"stub" | "transport" | "sdk", Cost> & { restUs: number }> {
  const stub = stubFetch();
  const origin = "http://127.0.0.1:9";
  const transport = sdkTransport(origin, stub);
  const client = new sdk.Modellix({ apiKey: KEY, baseURL: origin, fetch: stub, logLevel: "off", maxConcurrentTasks: 1_000_000, pollInterval: { initialMs: 3_600_000, maxMs: 3_600_000 } });
  const sides = {
    stub: async () => {
      await (await stub(`${origin}/api/v1/${MODEL}`, { method: "POST", body: BODY })).json();
      await (await stub(`${origin}/api/v1/tasks/task-1`)).json();
    },
    transport: async () => {
      await transport.submit(MODEL, INPUT, { type: "t2i", model: MODEL });
      await transport.get("tasks/task-1");
    },
    sdk: async () => {
      const task = await client.t2i.submit({ model: MODEL, ...INPUT });
      if ((await task.status()).status !== "success") throw new Error("unexpected status");
    },
  };
  await interleave(sides, 500, 100);
  const rounds: Array<Record<keyof typeof sides, Cost>> = [];
  for (let index = 0; index < ROUNDS; index++) rounds.push(await interleave(sides, IN_PROCESS_CYCLES, 100));
  const pick = (side: keyof typeof sides): Cost => ({ cpuUs: median(rounds.map((r) => r[side].cpuUs)), wallUs: median(rounds.map((r) => r[side].wallUs)) });
  return { stub: pick("stub"), transport: pick("transport"), sdk: pick("sdk"), restUs: median(rounds.map((r) => r.sdk.cpuUs - r.transport.cpuUs)) };
}

interface Row {
  label: string;
  note: string;
  get: Cost;
  post: Cost;
}

/**
 * Every variant's GET and POST, `ROUNDS` times. Rows hold the medians over the
 * rounds; `perRound` each round's GET + POST CPU by variant, so that differences
 * between variants are taken within a round (same background load) before the median.
 */
async function measure(server: RemoteServer): Promise<{ rows: Row[]; perRound: Record<string, number>[] }> {
  const list = variants(server.url);
  const ops = (method: "get" | "post") => Object.fromEntries(list.map((variant) => [variant.label, variant[method]]));
  for (const variant of list) {
    await variant.get();
    await variant.post();
  }
  const rounds: { get: Record<string, Cost>; post: Record<string, Cost> }[] = [];
  for (let index = 0; index < ROUNDS; index++) {
    globalThis.gc?.();
    rounds.push({ get: await interleave(ops("get"), OPS, CHUNK), post: await interleave(ops("post"), OPS, CHUNK) });
  }
  const pick = (label: string, method: "get" | "post"): Cost => ({
    cpuUs: median(rounds.map((r) => r[method][label]?.cpuUs ?? Number.NaN)),
    wallUs: median(rounds.map((r) => r[method][label]?.wallUs ?? Number.NaN)),
  });
  return {
    rows: list.map(({ label, note }) => ({ label, note, get: pick(label, "get"), post: pick(label, "post") })),
    perRound: rounds.map((r) => Object.fromEntries(list.map(({ label }) => [label, (r.get[label]?.cpuUs ?? 0) + (r.post[label]?.cpuUs ?? 0)]))),
  };
}

/** Measures every variant and saves `results/http.json`. */
export async function measureHttp(): Promise<BenchResult> {
  const server = await startApiServer();
  try {
    const { rows, perRound } = await measure(server);
    const local = await inProcess();
    const floor = rows[0] as Row;
    const byLabel = (label: string) => rows.find((row) => row.label === label) as Row;
    const cycle = (row: Row) => row.get.cpuUs + row.post.cpuUs;
    /** The median over the rounds of a difference taken within each round. */
    const delta = (of: (round: Record<string, number>) => number) => median(perRound.map(of));
    const at = (round: Record<string, number>, label: string) => round[label] ?? Number.NaN;
    const kyAdds = delta((r) => at(r, "ky + deadline signal") - at(r, "fetch + deadline"));
    const signalAdds = delta((r) => at(r, "ky + deadline signal") - at(r, "ky, no signal") - (at(r, "fetch + deadline") - at(r, "fetch")));
    const hookAdds = delta((r) => at(r, "ky + deadline + afterResponse hook") - at(r, "ky + deadline signal"));
    const transportAdds = delta((r) => at(r, "SDK transport") - at(r, "fetch"));
    const directSaves = delta((r) => at(r, "ky + deadline signal") - at(r, "ky as a builder: body and signal straight to fetch"));
    const restOfSdk = local.restUs;
    return saveResult({
      name: "http",
      title: "1b. The HTTP layer: ky's cost and its cheapest use",
      setup:
        `One request at a time to the local API server (another process), GET /api/v1/tasks/{id} and POST /api/v1/${MODEL}, ` +
        `${ROUNDS} rounds of ${OPS} requests per variant, interleaved in chunks of ${CHUNK}; each cost is the median over the rounds, each difference the median of the differences within a round. ` +
        "CPU is this process's user + system time per request. Every variant reads the body as text and parses it.",
      rows: [
        {
          id: 1,
          measurement: "HTTP layer CPU per cycle (GET + POST): SDK transport vs fetch",
          modellix: micros(cycle(byLabel("SDK transport"))),
          baseline: `fetch ${micros(cycle(floor))}`,
          ratio: ratio(cycle(byLabel("SDK transport")) / cycle(floor)),
          target: "",
        },
        {
          id: 1,
          measurement: "ky's default use (body and signal through ky) vs fetch, both with the deadline's signal",
          modellix: `+${micros(kyAdds)}`,
          baseline: `ky as a builder only (body and signal straight to fetch), what the transport does: ${micros(directSaves)} less`,
          ratio: "",
          target: "",
        },
        {
          id: 1,
          measurement: "SDK CPU per cycle without sockets (stub fetch): transport / the rest",
          modellix: `${micros(local.sdk.cpuUs)}: ${micros(local.transport.cpuUs)} / ${micros(restOfSdk)}`,
          baseline: `bare stub ${micros(local.stub.cpuUs)}`,
          ratio: ratio(local.sdk.cpuUs / local.stub.cpuUs),
          target: "",
        },
      ],
      detail: [
        ...table(
          ["variant", "GET CPU", "÷ fetch", "POST CPU", "÷ fetch", "GET + POST", "what it is"],
          rows.map((row) => [
            row.label,
            micros(row.get.cpuUs),
            ratio(row.get.cpuUs / floor.get.cpuUs),
            micros(row.post.cpuUs),
            ratio(row.post.cpuUs / floor.post.cpuUs),
            micros(cycle(row)),
            row.note,
          ]),
        ),
        "",
        `The SDK's transport adds ${micros(transportAdds)} per GET + POST over bare fetch. ky used the default way (body and the deadline's signal through ky) would add ${micros(kyAdds)} over fetch, ` +
          `of which ${micros(signalAdds)} is ky combining the passed signal with its own (\`AbortSignal.any\`, new in every call). An \`afterResponse\` hook would add ${micros(hookAdds)} more (ky clones the response for it). ` +
          `Handing ky no body and no signal (it builds a \`Request\` and clones it for retries on every call, teeing a body stream) and passing both straight to fetch, as the transport does, saves ${micros(directSaves)} per GET + POST.`,
        "",
        `Without sockets (a stub fetch answering in-process, ${ROUNDS} rounds of ${IN_PROCESS_CYCLES.toLocaleString("en")} cycles): the whole SDK cycle costs ${micros(local.sdk.cpuUs)}, its transport's POST + GET ${micros(local.transport.cpuUs)}, ` +
          `the bare stub ${micros(local.stub.cpuUs)}; the rest of the SDK (validation, the quota queue, the Task and its poller, publishing the reading) ${micros(restOfSdk)}.`,
      ],
      data: { rounds: ROUNDS, ops: OPS, inProcess: local, rows: rows.map((row) => ({ ...row, get: { cpuUs: round(row.get.cpuUs), wallUs: round(row.get.wallUs) }, post: { cpuUs: round(row.post.cpuUs), wallUs: round(row.post.wallUs) } })) },
    });
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await measureHttp();
