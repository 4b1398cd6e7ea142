/**
 * Replicate's predictions API, simulated in-process for the waiting benchmark
 * (the shapes of https://replicate.com/docs/reference/http, as the `replicate`
 * package reads them): `POST {base}/predictions` answers 201 with a `starting`
 * prediction, `GET {base}/predictions/{id}` answers `processing` until the task's
 * end, then `succeeded` with its output. No `Prefer: wait` (sync mode): the
 * benchmark compares polling loops, and Modellix has no synchronous endpoint.
 */
import type { SimulatedTask, SimulatedTasks } from "./simulated-tasks.js";

const VERSION = "8beff3369e81422112d93b89ca01426147de542cd4684c244b673b105188fe5f";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A handler for requests to `base` (e.g. `http://127.0.0.1:9/replicate/v1`) over `tasks`. */
export function replicateApi(tasks: SimulatedTasks, base: string): (request: Request) => Promise<Response> {
  const path = new URL(base).pathname;
  const prediction = (task: SimulatedTask, status: string) => {
    const done = status === "succeeded";
    return {
      id: task.id,
      model: "black-forest-labs/flux-dev",
      version: VERSION,
      input: task.input,
      logs: "",
      output: done ? [`https://replicate.delivery/${task.id}/out-0.webp`] : null,
      data_removed: false,
      error: null,
      status,
      created_at: new Date(task.createdAt).toISOString(),
      started_at: status === "starting" ? null : new Date(task.createdAt).toISOString(),
      completed_at: done ? new Date(task.endsAt).toISOString() : null,
      urls: { get: `${base}/predictions/${task.id}`, cancel: `${base}/predictions/${task.id}/cancel`, stream: `${base}/stream/${task.id}` },
      metrics: done ? { predict_time: (task.endsAt - task.createdAt) / 1000 } : {},
    };
  };
  return async (request) => {
    const route = new URL(request.url).pathname.slice(path.length);
    if (request.method === "POST" && route === "/predictions") {
      const body = (await request.json()) as { input?: Record<string, unknown> };
      return json(201, prediction(tasks.create(body.input ?? {}), "starting"));
    }
    const read = /^\/predictions\/([^/]+)$/.exec(route);
    const task = request.method === "GET" && read ? tasks.read(read[1] ?? "") : undefined;
    if (task) return json(200, prediction(task, tasks.done(task) ? "succeeded" : "processing"));
    return json(404, { detail: "Not found." });
  };
}
