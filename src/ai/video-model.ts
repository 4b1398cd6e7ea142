/** The AI SDK video model (`VideoModelV4`) of a Modellix text-to-video, image-to-video or video-to-video model. */
import type {
  JSONObject,
  JSONValue,
  Experimental_VideoModelV4 as VideoModelV4,
  Experimental_VideoModelV4CallOptions as VideoModelV4CallOptions,
  Experimental_VideoModelV4OperationStartResult as VideoModelV4OperationStartResult,
  Experimental_VideoModelV4OperationStatusResult as VideoModelV4OperationStatusResult,
  Experimental_VideoModelV4OperationWebhook as VideoModelV4OperationWebhook,
  Experimental_VideoModelV4Result as VideoModelV4Result,
  Experimental_VideoModelV4VideoData as VideoModelV4VideoData,
} from "@ai-sdk/provider";
import { type Modellix, type Resource, ValidationError } from "../index.js";
import { modelFacts } from "./catalog.js";
import { download } from "./media.js";
import { type TaskCall, definedHeaders, onTask, responseOf, run, submit, taskMetadata } from "./task-call.js";
import { guessVideoNamespace, videoBody } from "./video-body.js";

/** What `doStart` hands to `doStatus`: the task, its model and namespace. */
interface Operation {
  taskId: string;
  model: string;
  namespace: string;
}

function readOperation(operation: JSONValue): Operation {
  const { taskId, model, namespace } = (typeof operation === "object" && operation !== null && !Array.isArray(operation) ? operation : {}) as JSONObject;
  if (typeof taskId === "string" && typeof model === "string" && typeof namespace === "string") return { taskId, model, namespace };
  throw new ValidationError([{ path: "operation", message: "must be the operation a modellix video model's doStart returned ({ taskId, model, namespace })" }], "video operation");
}

/** The videos among a task's files, downloaded through the client. */
async function videosOf(resources: readonly Resource[], signal: AbortSignal | undefined): Promise<{ videos: VideoModelV4VideoData[]; metadata: JSONObject[] }> {
  const files = resources.filter((resource) => resource.type === "video");
  const videos = await Promise.all(
    files.map(async (file): Promise<VideoModelV4VideoData> => {
      const { data, mediaType } = await download(file, signal);
      return { type: "binary", data, mediaType: mediaType ?? "video/mp4" };
    }),
  );
  const metadata = files.map(({ url, width, height, duration }) => ({
    url,
    ...(typeof width === "number" ? { width } : {}),
    ...(typeof height === "number" ? { height } : {}),
    ...(typeof duration === "number" ? { duration } : {}),
  }));
  return { videos, metadata };
}

/**
 * One Modellix video model. `doGenerate` is one task: submitted once, waited
 * for, its video downloaded through the client. `doStart` / `doStatus` let
 * the AI SDK poll instead (`poll` option of `experimental_generateVideo`,
 * `experimental_startVideo`, `experimental_getVideoStatus`); the operation is
 * `{ taskId, model, namespace }`.
 */
export class ModellixVideoModel implements VideoModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "modellix.video";
  readonly modelId: string;
  /** One task makes one video: `n` makes that many tasks, under the client's team quota. */
  readonly maxVideosPerCall = 1;
  readonly #client: () => Modellix;
  /** The calls that took the AI SDK's `webhook` option, by webhook URL: told their task id by `doStart`. */
  readonly #webhookCalls = new Map<string, (taskId: string) => void>();

  constructor(modelId: string, client: () => Modellix) {
    this.modelId = modelId;
    this.#client = client;
  }

  async #prepare(options: VideoModelV4CallOptions): Promise<{ call: TaskCall; warnings: VideoModelV4Result["warnings"] }> {
    const model = await modelFacts(this.modelId, "video", () => guessVideoNamespace(options));
    const request = videoBody(model, options);
    const call = { client: this.#client(), model, body: request.finish(options.providerOptions), signal: options.abortSignal, headers: options.headers };
    return { call, warnings: request.warnings };
  }

  async doGenerate(options: VideoModelV4CallOptions): Promise<VideoModelV4Result> {
    const { call, warnings } = await this.#prepare(options);
    const { task, result, after } = await run(call);
    const { videos, metadata } = await after(() => videosOf(result.resources, options.abortSignal));
    const own = taskMetadata(task.id, call.model.slug, result.expiresAt);
    return {
      videos,
      warnings,
      providerMetadata: { modellix: { ...own, videos: metadata.map((video) => ({ ...own, ...video })) } },
      response: responseOf(task, call.model),
    };
  }

  /**
   * Modellix posts a task's end to a webhook (`X-Webhook-URL`), so the AI SDK's
   * `webhook` option is taken: its URL goes with the submit, and the AI SDK
   * awaits the delivery instead of polling. The delivery is only a hint:
   * `doStatus` then reads the task with the client's key and believes only that.
   */
  async handleWebhookOption({ webhook }: { webhook: () => PromiseLike<{ url: string; received: PromiseLike<VideoModelV4OperationWebhook> }> }) {
    const { url, received } = await webhook();
    const started = new Promise<string>((resolve) => this.#webhookCalls.set(url, resolve));
    // A delivery is a hint: the AI SDK goes on (to doStatus, without a pause) once the task has really ended,
    // as one read now tells, or else the client's own polling (every `pollInterval.webhookMs`) does.
    const confirmed = Promise.all([received, started]).then(async ([delivery, taskId]) => {
      const task = this.#client().tasks.retrieve(taskId);
      await task.status().catch(() => undefined);
      await task.wait({ timeout: Number.POSITIVE_INFINITY }).catch(() => undefined);
      return delivery;
    });
    return { webhookUrl: url, received: confirmed };
  }

  async doStart(options: VideoModelV4CallOptions & { webhookUrl?: string }): Promise<VideoModelV4OperationStartResult> {
    const { call, warnings } = await this.#prepare(options);
    const { webhookUrl } = options;
    const task = await submit({ ...call, webhookUrl });
    if (webhookUrl !== undefined) {
      this.#webhookCalls.get(webhookUrl)?.(task.id);
      this.#webhookCalls.delete(webhookUrl);
    }
    const { slug, namespace } = call.model;
    return {
      operation: { taskId: task.id, model: slug, namespace },
      warnings,
      providerMetadata: { modellix: taskMetadata(task.id, slug, undefined) },
      response: responseOf(task, call.model),
    };
  }

  async doStatus(options: { operation: JSONValue; abortSignal?: AbortSignal; headers?: Record<string, string | undefined> }): Promise<VideoModelV4OperationStatusResult> {
    const { taskId, model, namespace } = readOperation(options.operation);
    const client = this.#client();
    const task = client.tasks.retrieve(taskId, { type: namespace, model });
    const signal = options.abortSignal;
    // Reading a task again costs nothing: these failures may be retried.
    const read = <T>(work: () => Promise<T>) => onTask({ client, taskId, model }, work, { repeatable: true });
    const snapshot = await read(() => task.status({ signal, headers: definedHeaders(options.headers) }));
    const response = { timestamp: new Date(), modelId: model, headers: undefined };
    const metadata = taskMetadata(taskId, model, snapshot.expiresAt);
    if (snapshot.status === "pending" || snapshot.status === "processing") return { status: "pending", providerMetadata: { modellix: metadata }, response };
    if (snapshot.status !== "success") {
      // The task's own TaskFailedError says why, in the SDK's words (scrubbed of the key).
      const failure = await task.wait().then(
        () => undefined,
        (error: unknown) => error,
      );
      const error = failure instanceof Error ? failure.message : `Task ${taskId} ended ${snapshot.status}`;
      return { status: "error", error, providerMetadata: { modellix: metadata }, response };
    }
    const { videos, metadata: files } = await read(() => videosOf(snapshot.resources, signal));
    return { status: "completed", videos, warnings: [], providerMetadata: { modellix: { ...metadata, videos: files.map((video) => ({ ...metadata, ...video })) } }, response };
  }
}
