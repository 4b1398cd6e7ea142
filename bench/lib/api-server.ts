/**
 * One minimal local HTTP server for the CPU comparison, in a process of its
 * own (so the benchmark process's CPU time is the clients'). It answers the
 * documented JSON of each API at once, with no checks, so every client meets the
 * same fast server. A task it created reads as queued, then running, then done
 * (the third read, after which it is forgotten); any other id reads as done:
 * - Modellix: `POST /api/v1/{provider}/{model}` and `GET /api/v1/tasks/{id}` (the envelope, rate-limit headers);
 * - OpenAI: `POST /v1/videos` and `GET /v1/videos/{id}`;
 * - Replicate: `POST /v1/predictions` and `GET /v1/predictions/{id}`;
 * - fal: its queue (`POST {endpoint}`, `GET {endpoint}/requests/{id}/status`), reached through
 *   the client's proxy mode: the real URL comes in the `x-fal-target-url` header.
 * Started by `startApiServer()` (lib/child.ts); prints nothing, sends its origin once listening.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

let counter = 0;
const json = { "content-type": "application/json" };
/** Reads so far of each created task not yet read as done. */
const reads = new Map<string, number>();

/** Registers a task created now and returns its id. */
function created(id: string): string {
  reads.set(id, 0);
  return id;
}

/** Which read of `id` this is: 1 (queued), 2 (running) or 3 (done, also for an id never created). */
function nextRead(id: string): 1 | 2 | 3 {
  const before = reads.get(id);
  if (before === undefined || before >= 2) {
    reads.delete(id);
    return 3;
  }
  reads.set(id, before + 1);
  return (before + 1) as 1 | 2;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...json, "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function modellix(req: IncomingMessage, res: ServerResponse, path: string): void {
  const headers = {
    "x-request-id": `req-${++counter}`,
    "x-ratelimit-limit": "100000",
    "x-ratelimit-remaining": "99999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
  };
  const task = /^\/api\/v1\/tasks\/([^/]+)$/.exec(path);
  if (req.method === "GET" && task) {
    const now = Date.now();
    const read = nextRead(task[1] ?? "");
    const model = { task_id: task[1], model_id: "bytedance/seedream-4.5-t2i" };
    const data =
      read === 3
        ? {
            ...model,
            status: "success",
            result: {
              resources: [{ url: `https://cdn.modellix.test/${task[1]}.png`, type: "image", width: 2048, height: 2048, format: "png" }],
              extensions: { submit_time: now - 30_000, end_time: now },
            },
            result_expires_at: now + 86_400_000,
          }
        : { ...model, status: read === 1 ? "pending" : "processing" };
    send(res, 200, { code: 0, message: "success", data }, headers);
    return;
  }
  const submit = /^\/api\/v1\/([^/]+)\/([^/]+)$/.exec(path);
  if (req.method === "POST" && submit) {
    const id = created(`task-${counter}`);
    send(
      res,
      200,
      {
        code: 0,
        message: "success",
        data: { status: "pending", task_id: id, model_id: `${submit[1]}/${submit[2]}`, get_result: { method: "GET", url: `/api/v1/tasks/${id}` } },
      },
      headers,
    );
    return;
  }
  send(res, 404, { code: 404, message: "Not Found: no such route", data: null }, headers);
}

function openai(req: IncomingMessage, res: ServerResponse, path: string): void {
  const headers = { "x-request-id": `req_${++counter}`, "openai-processing-ms": "12" };
  const now = Math.floor(Date.now() / 1000);
  const video = (id: string, status: string, progress: number) => ({
    id,
    object: "video",
    model: "sora-2",
    status,
    progress,
    created_at: now - 30,
    completed_at: status === "completed" ? now : null,
    expires_at: status === "completed" ? now + 86_400 : null,
    prompt: "a lighthouse at dawn",
    seconds: "4",
    size: "720x1280",
    remixed_from_video_id: null,
    error: null,
  });
  const one = /^\/v1\/videos\/([^/]+)$/.exec(path);
  if (req.method === "GET" && one) {
    const read = nextRead(one[1] ?? "");
    send(res, 200, read === 3 ? video(one[1] ?? "", "completed", 100) : video(one[1] ?? "", read === 1 ? "queued" : "in_progress", read === 1 ? 0 : 50), headers);
    return;
  }
  if (req.method === "POST" && path === "/v1/videos") {
    send(res, 200, video(created(`video_${counter}`), "queued", 0), headers);
    return;
  }
  send(res, 404, { error: { message: "not found", type: "invalid_request_error" } }, headers);
}

function replicate(req: IncomingMessage, res: ServerResponse, path: string, origin: string): void {
  const prediction = (id: string, status: string) => ({
    id,
    model: "black-forest-labs/flux-dev",
    version: "8beff3369e81422112d93b89ca01426147de542cd4684c244b673b105188fe5f",
    input: { prompt: "a lighthouse at dawn" },
    logs: "",
    output: status === "succeeded" ? [`https://replicate.delivery/${id}/out-0.webp`] : null,
    data_removed: false,
    error: null,
    status,
    created_at: new Date().toISOString(),
    urls: { get: `${origin}/v1/predictions/${id}`, cancel: `${origin}/v1/predictions/${id}/cancel`, stream: `${origin}/stream/${id}` },
    metrics: status === "succeeded" ? { predict_time: 2.5 } : {},
  });
  const one = /^\/v1\/predictions\/([^/]+)$/.exec(path);
  if (req.method === "GET" && one) {
    const read = nextRead(one[1] ?? "");
    send(res, 200, prediction(one[1] ?? "", read === 3 ? "succeeded" : read === 1 ? "starting" : "processing"));
    return;
  }
  if (req.method === "POST" && path === "/v1/predictions") {
    send(res, 201, prediction(created(`p${++counter}`), "starting"));
    return;
  }
  send(res, 404, { detail: "Not found" });
}

function fal(req: IncomingMessage, res: ServerResponse, target: string): void {
  const url = new URL(target);
  const status = /^(\/.+)\/requests\/([^/]+)\/status$/.exec(url.pathname);
  const base = `https://queue.fal.run${url.pathname}`;
  if (req.method === "GET" && status) {
    const id = status[2] ?? "";
    const read = nextRead(id);
    const responseURL = `https://queue.fal.run${status[1]}/requests/${id}`;
    send(
      res,
      200,
      read === 3
        ? { status: "COMPLETED", request_id: id, response_url: responseURL, logs: null, metrics: { inference_time: 2.5 } }
        : read === 1
          ? { status: "IN_QUEUE", request_id: id, response_url: responseURL, queue_position: 0 }
          : { status: "IN_PROGRESS", request_id: id, response_url: responseURL, logs: null },
    );
    return;
  }
  if (req.method === "POST") {
    const id = created(`req-${++counter}`);
    send(res, 200, {
      status: "IN_QUEUE",
      request_id: id,
      response_url: `${base}/requests/${id}`,
      status_url: `${base}/requests/${id}/status`,
      cancel_url: `${base}/requests/${id}/cancel`,
      queue_position: 0,
    });
    return;
  }
  send(res, 404, { detail: "Not found" });
}

const server = createServer((req, res) => {
  // Read (and drop) the request body before answering, as a real server does.
  req.resume();
  req.on("end", () => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const target = req.headers["x-fal-target-url"];
    if (typeof target === "string") return fal(req, res, target);
    if (path.startsWith("/api/v1/")) return modellix(req, res, path);
    if (path.startsWith("/v1/videos")) return openai(req, res, path);
    if (path.startsWith("/v1/predictions")) return replicate(req, res, path, origin);
    send(res, 404, { message: "no such route" });
  });
});
server.keepAliveTimeout = 60_000;
let origin = "";
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.send?.({ url: origin });
});
process.on("disconnect", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
