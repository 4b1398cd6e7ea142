import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import Modellix, { BadRequestError, RateLimitError } from "modellix";

// Issue 10: the SDK against the bodies ../shared/API.md documents, served by msw at the network edge.
const origin = "https://api.modellix.ai";
const documented = {
  submit: { code: 0, message: "success", data: { status: "pending", task_id: "task-abc123", model_id: "seedream-4.5-t2i", get_result: { method: "GET", url: `${origin}/api/v1/tasks/task-abc123` } } },
  task: {
    code: 0,
    message: "success",
    data: {
      task_id: "task-abc123",
      status: "success",
      model_id: "seedream-4.5-t2i",
      result: {
        resources: [{ url: "https://cdn.modellix.ai/out/abc.png", type: "image", width: 2048, height: 2048, format: "png" }],
        metadata: { seed: 7 },
        extensions: { submit_time: 1764400000000, end_time: 1764400042000 },
      },
      result_expires_at: 4102444800000,
      billing: { amount: 0.03 },
    },
  },
  failed: { code: 0, message: "success", data: { task_id: "task-bad", status: "failed", model_id: "x", message: "Content Policy: The prompt was rejected", code: "E_POLICY" } },
  models: { models: [{ slug: "bytedance/seedream-4.5-t2i", type: "text-to-image", docs_url: "https://docs.modellix.ai/bytedance/seedream-4-5-t2i", description: "Seedream 4.5", price: 0.03 }] },
  validateFalse: { code: 0, message: "success", data: { is_valid: false } },
  balance: { code: 0, message: "success", data: { balance: 12.5 } },
  file: { code: 0, message: "success", data: { file_id: "f-1", url: "https://cdn.modellix.ai/media/f-1.png", type: "image", filename: "cat.png", size: 3, created_at: "2026-11-29T08:00:00Z" } },
  missingPrompt: { code: 400, message: "Invalid parameters: parameter 'prompt' is required" },
  concurrency: { code: 429, message: "Too Many Requests: concurrent task limit reached" },
};

const seen: Request[] = [];
const server = setupServer(
  http.post(`${origin}/api/v1/bytedance/seedream-4.5-t2i`, ({ request }) => {
    seen.push(request);
    return HttpResponse.json(documented.submit);
  }),
  http.post(`${origin}/api/v1/acme/needs-prompt`, () => HttpResponse.json(documented.missingPrompt, { status: 400 })),
  http.post(`${origin}/api/v1/acme/busy`, () => HttpResponse.json(documented.concurrency, { status: 429 })),
  http.get(`${origin}/api/v1/tasks/task-abc123`, () => HttpResponse.json(documented.task)),
  http.get(`${origin}/api/v1/tasks/task-bad`, () => HttpResponse.json(documented.failed)),
  http.get(`${origin}/api/v1/models`, () => HttpResponse.json(documented.models)),
  http.get(`${origin}/api/v1/apikey/validate`, () => HttpResponse.json(documented.validateFalse)),
  http.get(`${origin}/api/v1/team/balance`, () => HttpResponse.json(documented.balance)),
  http.post(`${origin}/api/v1/media/files`, () => HttpResponse.json(documented.file)),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = () => new Modellix({ apiKey: "mlx-contract", maxRetries: 0, quotaWaitMs: 0, logLevel: "off", pollInterval: { initialMs: 1, maxMs: 1 } });

describe("the documented API, through the SDK", () => {
  it("submit → POST /api/v1/{provider}/{model_id} with the body, no model; task → result with resources, metadata and result_expires_at", async () => {
    const task = await client().t2i.submit({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse", size: "2048x2048" });
    expect(task.id).toBe("task-abc123");
    expect(await seen[0]?.json()).toEqual({ prompt: "a lighthouse", size: "2048x2048" });
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer mlx-contract");
    expect(seen[0]?.headers.get("content-type")).toContain("application/json");
    const result = await task.wait();
    expect(result).toMatchObject({ id: "task-abc123", model: "bytedance/seedream-4.5-t2i", data: { billing: { amount: 0.03 }, result: { metadata: { seed: 7 } } } });
    expect(result.resources).toMatchObject([{ url: "https://cdn.modellix.ai/out/abc.png", type: "image", width: 2048, height: 2048, format: "png" }]);
    expect(result.expiresAt?.toISOString()).toBe("2100-01-01T00:00:00.000Z");
  });

  it("a failed task's details come from what it carries, the raw data kept", async () => {
    const error = await client().tasks.retrieve("task-bad").wait().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TaskFailedError", taskId: "task-bad", category: "Content Policy", detail: "The prompt was rejected", code: "E_POLICY" });
  });

  it("errors: the envelope's code and 'Category: detail' message", async () => {
    const bad = (await client().run("t2i", "acme/needs-prompt", { prompt: "" }).catch((e: unknown) => e)) as BadRequestError;
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ status: 400, category: "Invalid parameters", detail: "parameter 'prompt' is required" });
    const busy = await client().run("t2i", "acme/busy", { prompt: "x" }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitError);
  });

  it("GET /models (not enveloped), validate (200 is_valid false), balance, media files", async () => {
    const sdk = client();
    expect(await sdk.models.list({ type: "t2i" })).toMatchObject([{ slug: "bytedance/seedream-4.5-t2i", type: "text-to-image", namespace: "t2i", docsUrl: documented.models.models[0]?.docs_url, description: "Seedream 4.5", data: { price: 0.03 } }]);
    expect(await sdk.account.validateKey()).toBe(false);
    expect(await sdk.account.balance()).toMatchObject({ amount: 12.5 });
    expect(await sdk.files.upload(new Blob(["abc"], { type: "image/png" }), { filename: "cat.png" })).toMatchObject({ fileId: "f-1", url: documented.file.data.url, type: "image", filename: "cat.png", size: 3 });
  });
});
