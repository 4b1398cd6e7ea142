import { checkBaseURL, defaultBaseURL } from "./core/base-url.js";
import { readEnv } from "./core/env.js";
import {
  APIError,
  UserAbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InsufficientBalanceError,
  InternalServerError,
  InvalidResponseError,
  ModellixError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RateLimitInfo,
  SubmitOutcomeUnknownError,
  TaskExpiredError,
  TaskFailedError,
  RequestTimeoutError,
  ValidationError,
  WaitTimeoutError,
} from "./core/errors.js";
import { countIssue, durationIssue } from "./core/limits.js";
import { type LogLevel, type Logger, createLogger } from "./core/logger.js";
import { type QueueState, type QuotaCoordinator, TaskQueue } from "./core/quota.js";
import { defaultRetryPolicy } from "./core/retry.js";
import { type RequestHooks, Transport } from "./core/transport.js";
import { userAgent } from "./core/user-agent.js";
import { checkWebhookUrl } from "./core/webhook-url.js";
import { type KnownModels, type ModelSlug, NAMESPACES, type Namespace } from "./models/catalog.js";
import type { SubmitInput } from "./models/inputs.js";
import type { ClientContext } from "./context.js";
import { type PollSchedule, defaultPollSchedule } from "./poll-schedule.js";
import { Pollers } from "./poller.js";
import { Account } from "./resources/account.js";
import type { BatchItem, BatchRun } from "./resources/batch.js";
import type { BatchOptions, BatchResult } from "./resources/batch-state.js";
import { Files } from "./resources/files.js";
import { Generation } from "./resources/generation.js";
import { Models } from "./resources/models.js";
import { Tasks } from "./resources/tasks.js";
import { type WebhookOptions, Webhooks } from "./resources/webhooks.js";
import { type SubmitOptions, type TaskPromise, submitTask, toTaskPromise } from "./resources/submit.js";

/** Options of the {@link Modellix} client. */
export interface ModellixOptions {
  /** API key. Defaults to the `MODELLIX_API_KEY` environment variable. Leave unset only behind a proxy that adds it. */
  apiKey?: string | undefined;
  /**
   * The API's origin. Defaults to `MODELLIX_BASE_URL`, else `https://api.modellix.ai`.
   * Must be https, except for localhost; may carry a proxy's path prefix
   * (`/api/modellix` in a browser). A trailing `/api/v1` is ignored.
   */
  baseURL?: string | undefined;
  /** Per-request timeout in ms, covering the answer's body (default 30000; `Infinity` for none). */
  timeout?: number | undefined;
  /** Retries after a failed attempt (default 3). See the README for what is retried. */
  maxRetries?: number | undefined;
  /** A fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch | undefined;
  /** The team's concurrent-task quota (default 3). Submits beyond it wait locally. */
  maxConcurrentTasks?: number | undefined;
  /** A coordinator sharing the quota with other processes (e.g. Redis from `modellix/redis`). */
  quota?: QuotaCoordinator | undefined;
  /**
   * How long a quota slot stays taken, in ms, when the SDK cannot tell whether its
   * task runs at the server (a submit whose outcome is unknown, or polling that gave
   * up). Default: 60000 for image types, 120000 for the others.
   */
  quotaHoldMs?: number | undefined;
  /** How long a submit keeps retrying a "concurrent task limit" 429, in ms (default 600000). */
  quotaWaitMs?: number | undefined;
  /**
   * Poll schedule. A model whose run times the client has seen is polled first
   * near its earliest likely end, then every `minMs` (250) or more until its
   * latest likely end, then with a backoff. An unknown model is polled after
   * `initialMs` (2000), growing by `factor` (1.5) up to `maxMs` (5000). A task
   * submitted with a webhook is polled every `webhookMs` (30000) as a safety net.
   */
  pollInterval?: Partial<PollSchedule> | undefined;
  /**
   * Where Modellix POSTs each task's end (`X-Webhook-URL` on every submit; a
   * submit's own `webhookUrl` replaces it). https, or http for localhost only.
   * Such tasks are polled only as a safety net (`pollInterval.webhookMs`);
   * answer the deliveries with `client.webhooks.handle`.
   */
  webhookUrl?: string | undefined;
  /** Options of `client.webhooks`: `onTask`, called with each task a delivery confirms ended. */
  webhooks?: WebhookOptions | undefined;
  /** Default `wait()` timeouts by namespace, in ms (images 180000, the others 600000). */
  waitTimeouts?: Partial<Record<string, number>> | undefined;
  /**
   * Also retry a paid submit whose outcome is unknown (500/502/504, timeout or
   * reset after sending). This can create and bill a second task. Default false.
   */
  retryUnsafeSubmits?: boolean | undefined;
  /** Largest response body accepted, decoded, in bytes (default 8 MiB). */
  maxResponseBytes?: number | undefined;
  /** How long `client.models` reuses one `GET /models` answer, in ms (default 300000; 0 reads it every time). */
  modelsCacheMs?: number | undefined;
  /** Where `client.models.schema()` reads public model schemas (default `https://www.modellix.ai`). */
  schemaBaseURL?: string | undefined;
  /** Headers sent with every request. They cannot replace `Authorization`. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Hooks around every HTTP request, e.g. for tracing (`beforeRequest`, `afterResponse`). */
  hooks?: RequestHooks | undefined;
  /** Where log lines go (default `console`). */
  logger?: Logger | undefined;
  /** Log level (default `MODELLIX_LOG`, else `warn`). */
  logLevel?: LogLevel | undefined;
  /** Allow an API key in a browser, where anyone can read it. Prefer a server-side proxy (`modellix/proxy`). */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/**
 * The shortcut methods, one per namespace: each name is `client[namespace].submit(input, options)`,
 * so `await client.textToImage(input).wait()` is `await client.t2i.submit(input).wait()`.
 */
const SHORTCUTS = {
  /** Text to image: a shortcut for `client.t2i.submit(input, options)`. */
  textToImage: "t2i",
  /** Image to image (edits, try-on, ...): a shortcut for `client.i2i.submit(input, options)`. */
  imageToImage: "i2i",
  /** Text to video: a shortcut for `client.t2v.submit(input, options)`. */
  textToVideo: "t2v",
  /** Image to video (first/last frame, reference-to-video): a shortcut for `client.i2v.submit(input, options)`. */
  imageToVideo: "i2v",
  /** Video to video (edits, extension, motion transfer): a shortcut for `client.v2v.submit(input, options)`. */
  videoToVideo: "v2v",
  /** Text to speech: a shortcut for `client.tts.submit(input, options)`. */
  textToSpeech: "tts",
  /** Speech to text: a shortcut for `client.stt.submit(input, options)`. */
  speechToText: "stt",
  /** Speech to speech (voice cloning): a shortcut for `client.sts.submit(input, options)`. */
  speechToSpeech: "sts",
  /** Image expansion (outpainting): a shortcut for `client.expansion.submit(input, options)`. */
  expandImage: "expansion",
} as const satisfies Record<string, Namespace>;

/** Every namespace has its shortcut: a namespace missing from {@link SHORTCUTS} fails to typecheck here. */
const everyNamespaceHasAShortcut: [Exclude<Namespace, (typeof SHORTCUTS)[keyof typeof SHORTCUTS]>] extends [never] ? true : never = true;
void everyNamespaceHasAShortcut;

/** A shortcut: `client[N].submit(input, options)`, typed like it (its known models autocomplete, any other slug is accepted). */
type Shortcut<N extends Namespace> = <M extends ModelSlug<KnownModels[N]>>(input: SubmitInput<N, M>, options?: SubmitOptions) => TaskPromise;

/** The shortcut methods, typed from {@link SHORTCUTS} (each keeps its entry's TSDoc). */
type Shortcuts = { readonly [Name in keyof typeof SHORTCUTS]: Shortcut<(typeof SHORTCUTS)[Name]> };

/** The client's shortcut methods (see {@link SHORTCUTS}), merged into the class, which defines them in its static block. */
export interface Modellix extends Shortcuts {}

/**
 * The Modellix client.
 *
 * ```ts
 * const client = new Modellix(); // reads MODELLIX_API_KEY
 * const result = await client.textToImage({ model: "bytedance/seedream-4.5-t2i", prompt: "a lighthouse at dawn", size: "2048x2048" }).wait();
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface holds the shortcut methods, which the static block defines from SHORTCUTS.
export class Modellix {
  // Every error class, on the class as in openai-node (`error instanceof Modellix.RateLimitError`),
  // the same in ESM and CommonJS; they are also named exports.
  /** Base class of every error the SDK throws. */
  static readonly ModellixError = ModellixError;
  /** The API answered with an error status. */
  static readonly APIError = APIError;
  /** 400: the parameters were rejected. */
  static readonly BadRequestError = BadRequestError;
  /** 401: the API key is missing, wrong or expired. */
  static readonly AuthenticationError = AuthenticationError;
  /** 402: the team's balance is exhausted. */
  static readonly InsufficientBalanceError = InsufficientBalanceError;
  /** 403: the key may not use this model or endpoint. */
  static readonly PermissionDeniedError = PermissionDeniedError;
  /** 404: unknown task, model or path. */
  static readonly NotFoundError = NotFoundError;
  /** 404 for a task past its retention: its results are gone. */
  static readonly TaskExpiredError = TaskExpiredError;
  /** 429: rate limited, or the team's concurrent-task quota is full. */
  static readonly RateLimitError = RateLimitError;
  /** 5xx: the server failed or is unavailable. */
  static readonly InternalServerError = InternalServerError;
  /** A 2xx answer that is not the JSON envelope the API promises. */
  static readonly InvalidResponseError = InvalidResponseError;
  /** The request never got an HTTP answer. */
  static readonly ConnectionError = ConnectionError;
  /** The request got no answer within its `timeout`. */
  static readonly RequestTimeoutError = RequestTimeoutError;
  /** The caller's `AbortSignal` fired. */
  static readonly UserAbortError = UserAbortError;
  /** The input was refused before any request was sent. */
  static readonly ValidationError = ValidationError;
  /** A paid submit may or may not have created a task. */
  static readonly SubmitOutcomeUnknownError = SubmitOutcomeUnknownError;
  /** The task ended `failed` or `canceled`. */
  static readonly TaskFailedError = TaskFailedError;
  /** `wait()` gave up; the task keeps running. */
  static readonly WaitTimeoutError = WaitTimeoutError;

  /** Text to image. */
  declare readonly t2i: Generation<"t2i">;
  /** Image to image (edits, try-on, ...). */
  declare readonly i2i: Generation<"i2i">;
  /** Text to video. */
  declare readonly t2v: Generation<"t2v">;
  /** Image to video (first/last frame, reference-to-video). */
  declare readonly i2v: Generation<"i2v">;
  /** Video to video (edits, extension, motion transfer). */
  declare readonly v2v: Generation<"v2v">;
  /** Text to speech. */
  declare readonly tts: Generation<"tts">;
  /** Speech to text. */
  declare readonly stt: Generation<"stt">;
  /** Speech to speech (voice cloning). */
  declare readonly sts: Generation<"sts">;
  /** Image expansion (outpainting): the expansion models of image-to-image. */
  declare readonly expansion: Generation<"expansion">;
  /** Tasks by id. */
  declare readonly tasks: Tasks;
  /** The active models (`GET /models`, cached) and their public schemas. */
  declare readonly models: Models;
  /** Media files to pass as model inputs (`/media/files`). */
  declare readonly files: Files;
  /** The API key and the team's balance. */
  declare readonly account: Account;
  /** Webhook deliveries in: `handle(request)` confirms each with `GET /tasks/{id}` and wakes local waits. */
  declare readonly webhooks: Webhooks;
  /** The team-quota queue: submits waiting for a slot, tasks holding one, `onIdle()`, `clear()`. */
  declare readonly queue: QueueState;
  /** The API origin in use (with a proxy's path prefix, if any). */
  declare readonly baseURL: string;

  readonly #transport: Transport;
  readonly #context: ClientContext;

  static {
    for (const [name, namespace] of Object.entries(SHORTCUTS)) {
      const shortcut = function (this: Modellix, input: unknown, options?: SubmitOptions): TaskPromise {
        return toTaskPromise(submitTask(this.#context, namespace, input, options));
      };
      Object.defineProperty(Modellix.prototype, name, { value: shortcut, writable: true, configurable: true });
    }
  }

  constructor(options: ModellixOptions = {}) {
    const apiKey = (options.apiKey ?? readEnv("MODELLIX_API_KEY")) || undefined;
    this.baseURL = checkBaseURL(options.baseURL ?? readEnv("MODELLIX_BASE_URL") ?? defaultBaseURL);
    checkApiKey(apiKey, this.baseURL, options.dangerouslyAllowBrowser === true);
    checkLimits(options);
    const logger = createLogger(options.logger, options.logLevel, readEnv("MODELLIX_LOG"));
    const agent = userAgent();
    this.#transport = new Transport({
      apiKey,
      baseURL: this.baseURL,
      timeoutMs: options.timeout ?? 30_000,
      retry: {
        ...defaultRetryPolicy,
        maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries,
        quotaWaitMs: options.quotaWaitMs ?? defaultRetryPolicy.quotaWaitMs,
      },
      fetch: options.fetch,
      retryUnsafeSubmits: options.retryUnsafeSubmits ?? false,
      maxResponseBytes: options.maxResponseBytes ?? 8 * 1024 * 1024,
      logger,
      headers: { ...(agent ? { "user-agent": agent } : {}), ...options.defaultHeaders },
      hooks: options.hooks,
    });
    const queue = new TaskQueue(options.maxConcurrentTasks ?? 3, options.quota);
    this.queue = queue;
    const schedule = { ...defaultPollSchedule, ...options.pollInterval };
    this.#context = {
      transport: this.#transport,
      queue,
      pollers: new Pollers({ transport: this.#transport, queue, logger, schedule }),
      waitTimeouts: options.waitTimeouts ?? {},
      logger,
      quotaHoldMs: options.quotaHoldMs,
      webhookUrl: checkWebhookUrl("webhookUrl", options.webhookUrl),
    };
    for (const namespace of NAMESPACES) Object.defineProperty(this, namespace, { value: new Generation(this.#context, namespace), enumerable: true });
    this.tasks = new Tasks(this.#context);
    this.models = new Models(this.#transport, {
      cacheMs: options.modelsCacheMs,
      schemaOrigin: options.schemaBaseURL == null ? undefined : checkBaseURL(options.schemaBaseURL),
    });
    this.files = new Files(this.#transport);
    this.account = new Account(this.#transport);
    this.webhooks = new Webhooks(this.#context, options.webhooks);
  }

  /**
   * Submits to any model by slug, with its type given as a namespace code
   * (`"i2v"`), the API's name (`"image-to-video"`) or a family (`"r2v"`): for
   * models newer than this SDK, or a model whose body has a field named
   * `model` (`client.run("sts", "alibaba/cosyvoice-clone", { model: "cosyvoice-v2", url, text })`).
   * Returns the same Task promise: `await client.run("r2v", "vidu/viduq3-mix-r2v", { prompt, reference_images }).wait()`.
   */
  run(type: string, model: string, input: Record<string, unknown> = {}, options?: SubmitOptions): TaskPromise {
    return toTaskPromise(submitTask(this.#context, type, input, options, { runType: true, slug: model }));
  }

  /**
   * Runs many tasks: validates every item first (nothing is sent if one is
   * invalid), submits them under the team quota and waits for each. Await it
   * for the results in input order, or `for await` it for each as it completes.
   */
  batch(items: readonly BatchItem[], options?: BatchOptions): BatchRun {
    // Loaded on first use: the browser entry carries no batch code.
    // (Boxed: awaiting the BatchRun itself, a promise, would wait for every result.)
    const started = import("./resources/batch.js").then(({ runBatch }) => ({ run: runBatch(this.#context, items, options) }));
    return Object.assign(
      started.then(({ run }) => run),
      {
        async *[Symbol.asyncIterator](): AsyncGenerator<BatchResult, void, undefined> {
          yield* (await started).run;
        },
      },
    );
  }

  /** Rate-limit headers of the latest response (`X-RateLimit-Limit`, `-Remaining`, `-Reset`). */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#transport.rateLimit;
  }

  /** A key-free description for logs and `util.inspect`. */
  toJSON(): Record<string, unknown> {
    return { baseURL: this.baseURL };
  }
}

/** Refuses numeric options that would make the client misbehave (0 slots, negative or unbounded timers...), naming each. */
function checkLimits(options: ModellixOptions): void {
  const unlimited = { infinite: true };
  const fromZero = { min: 0 };
  const factor = options.pollInterval?.factor;
  const issues = [
    durationIssue("timeout", options.timeout, unlimited),
    durationIssue("quotaHoldMs", options.quotaHoldMs, fromZero),
    durationIssue("quotaWaitMs", options.quotaWaitMs, fromZero),
    durationIssue("modelsCacheMs", options.modelsCacheMs, fromZero),
    durationIssue("pollInterval.initialMs", options.pollInterval?.initialMs),
    durationIssue("pollInterval.maxMs", options.pollInterval?.maxMs),
    durationIssue("pollInterval.minMs", options.pollInterval?.minMs),
    durationIssue("pollInterval.webhookMs", options.pollInterval?.webhookMs),
    ...Object.entries(options.waitTimeouts ?? {}).map(([name, value]) => durationIssue(`waitTimeouts.${name}`, value, unlimited)),
    countIssue("maxRetries", options.maxRetries, 0),
    countIssue("maxConcurrentTasks", options.maxConcurrentTasks, 1),
    countIssue("maxResponseBytes", options.maxResponseBytes, 1),
    factor === undefined || (typeof factor === "number" && factor >= 1 && factor <= 10) ? undefined : { path: "pollInterval.factor", message: "must be a number from 1 to 10" },
  ].filter((issue) => issue !== undefined);
  if (issues.length > 0) throw new ValidationError(issues, "client options");
}

function isBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== "undefined" && typeof (globalThis as { document?: unknown }).document !== "undefined";
}

/** Refuses a missing key for the official API, keys that would corrupt the Authorization header, and keys in browsers unless explicitly allowed. */
function checkApiKey(apiKey: string | undefined, baseURL: string, allowBrowser: boolean): void {
  if (apiKey === undefined) {
    if (baseURL !== defaultBaseURL) return; // a proxy adds the key
    throw new ModellixError(
      "No API key: set MODELLIX_API_KEY or pass { apiKey } (only a baseURL behind a proxy that adds the key needs none).",
    );
  }
  if (/[^\x21-\x7e]/.test(apiKey)) {
    throw new ModellixError("The API key has whitespace, control or non-ASCII characters: check how it was read.");
  }
  if (isBrowser() && !allowBrowser) {
    throw new ModellixError(
      "Anyone can read an API key in a browser page: use a server-side proxy (modellix/proxy) and no key, or pass dangerouslyAllowBrowser: true.",
    );
  }
}
