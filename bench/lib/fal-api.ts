/**
 * fal's queue API, simulated in-process for the waiting benchmark (the shapes of
 * https://docs.fal.ai/model-endpoints/queue, as `@fal-ai/client` reads them),
 * reached through the client's proxy mode: every request comes to the proxy URL
 * with the real queue URL in `x-fal-target-url`, so the client never addresses
 * fal's hosts. `POST {app}` answers `IN_QUEUE` with the request's URLs,
 * `GET {app}/requests/{id}/status` answers `IN_PROGRESS` until the task's end, then
 * `COMPLETED`, and `GET {app}/requests/{id}` the result.
 */
import type { SimulatedTasks } from "./simulated-tasks.js";

const QUEUE = "https://queue.fal.run";

function json(status: number, body: unknown, requestId?: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...(requestId ? { "x-fal-request-id": requestId } : {}) },
  });
}

/** A handler for the fal client's proxied requests over `tasks`. */
export function falApi(tasks: SimulatedTasks): (request: Request) => Promise<Response> {
  return async (request) => {
    const target = request.headers.get("x-fal-target-url");
    if (!target) return json(400, { detail: "missing x-fal-target-url" });
    const path = new URL(target).pathname;
    const status = /^(\/.+)\/requests\/([^/]+)\/status$/.exec(path);
    if (request.method === "GET" && status) {
      const task = tasks.read(status[2] ?? "");
      if (!task) return json(404, { detail: "Request not found" });
      const done = tasks.done(task);
      return json(200, {
        status: done ? "COMPLETED" : "IN_PROGRESS",
        request_id: task.id,
        response_url: `${QUEUE}${status[1]}/requests/${task.id}`,
        logs: null,
        ...(done ? { metrics: { inference_time: (task.endsAt - task.createdAt) / 1000 } } : {}),
      });
    }
    const result = /^\/.+\/requests\/([^/]+)$/.exec(path);
    if (request.method === "GET" && result) {
      const task = tasks.peek(result[1] ?? "");
      if (!task || !tasks.done(task)) return json(404, { detail: "Request not found or not completed" });
      return json(200, { images: [{ url: `https://v3.fal.media/files/${task.id}.jpg`, width: 1024, height: 1024, content_type: "image/jpeg" }], seed: 42 }, task.id);
    }
    if (request.method === "POST") {
      const task = tasks.create((await request.json()) as Record<string, unknown>);
      const base = `${QUEUE}${path}/requests/${task.id}`;
      return json(200, {
        status: "IN_QUEUE",
        request_id: task.id,
        response_url: base,
        status_url: `${base}/status`,
        cancel_url: `${base}/cancel`,
        queue_position: 0,
      });
    }
    return json(404, { detail: "Not found" });
  };
}
