import { checkBaseURL, defaultBaseURL } from "./core/base-url.js";
import { readEnv } from "./core/env.js";
import { ModellixError, type RateLimitInfo, ValidationError } from "./core/errors.js";
import { type LogLevel, type Logger, createLogger } from "./core/logger.js";
import { LocalQuota, type QuotaCoordinator } from "./core/limiter.js";
import { defaultRetryPolicy } from "./core/retry.js";
import { Transport } from "./core/transport.js";
import type { KnownModelOf, ModelSlug, ModelType } from "./models/catalog.js";
import { Account } from "./resources/account.js";
import { type BatchItem, type BatchOptions, type BatchRun, runBatch } from "./resources/batch.js";
import { ImageExpansion, type ImageExpansionInput } from "./resources/expansion.js";
import { ImageToImage, type ImageToImageInput } from "./resources/i2i.js";
import { ImageToVideo, type ImageToVideoInput } from "./resources/i2v.js";
import { Models } from "./resources/models.js";
import { type RunInput, runTask } from "./resources/run.js";
import type { SubmitOptions } from "./resources/submit.js";
import { TextToImage, type TextToImageInput } from "./resources/t2i.js";
import { TextToVideo, type TextToVideoInput } from "./resources/t2v.js";
import { Tasks } from "./resources/tasks.js";
import type { PollSchedule, TaskContext, TaskPromise } from "./task.js";

/** Options of the {@link Modellix} client. */
export interface ModellixOptions {
  /** API key. Defaults to the `MODELLIX_API_KEY` environment variable. Leave unset behind a proxy that adds it. */
  apiKey?: string | undefined;
  /** API base URL. Defaults to `MODELLIX_BASE_URL`, else `https://api.modellix.ai/api/v1`. Must be https, except for localhost or a same-origin path like `/api/modellix`. */
  baseURL?: string | undefined;
  /** Per-request timeout in ms (default 30000). */
  timeout?: number | undefined;
  /** Retries after a failed attempt (default 3). See the README for what is retried. */
  maxRetries?: number | undefined;
  /** A fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch | undefined;
  /** The team's concurrent-task quota (default 3). Submits beyond it wait locally. */
  maxConcurrentTasks?: number | undefined;
  /** A shared quota coordinator (e.g. Redis from `modellix/redis`) replacing the in-process one. */
  quota?: QuotaCoordinator | undefined;
  /**
   * How long a quota slot stays taken, in ms, when the SDK cannot tell whether its
   * task runs at the server (a submit whose outcome is unknown, or polling that gave
   * up). Default: 60000 for image types, 120000 for video types.
   */
  quotaHoldMs?: number | undefined;
  /** Poll schedule: first poll after `initialMs` (2000), growing by `factor` (1.5) up to `maxMs` (5000). */
  pollInterval?: Partial<PollSchedule> | undefined;
  /** Default `wait()` timeouts by model type, in ms (images 180000, videos 600000). */
  waitTimeouts?: Partial<Record<string, number>> | undefined;
  /**
   * Also retry a paid submit whose outcome is unknown (500/502/504, timeout or
   * reset after sending). This can create and bill a second task. Default false.
   */
  retryUnsafeSubmits?: boolean | undefined;
  /** Largest response body accepted, in bytes (default 8 MiB). */
  maxResponseBytes?: number | undefined;
  /** How long `client.models` reuses one `GET /models` answer, in ms (default 300000; 0 reads it every time). */
  modelsCacheMs?: number | undefined;
  /** Where log lines go (default `console`). */
  logger?: Logger | undefined;
  /** Log level (default `MODELLIX_LOG`, else `warn`). */
  logLevel?: LogLevel | undefined;
  /** Allow an API key in a browser, where anyone can read it. Prefer a server-side proxy (`modellix/proxy`). */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/**
 * The Modellix client.
 *
 * ```ts
 * const client = new Modellix(); // reads MODELLIX_API_KEY
 * const result = await client.textToImage({ prompt: "a lighthouse at dawn", size: "1024*1024" }).wait();
 * ```
 */
export class Modellix {
  /** Text to image. */
  readonly t2i: TextToImage;
  /** Image to video. */
  readonly i2v: ImageToVideo;
  /** Text to video. */
  readonly t2v: TextToVideo;
  /** Image to image (edits). */
  readonly i2i: ImageToImage;
  /** Image expansion (outpainting). */
  readonly expansion: ImageExpansion;
  /** Tasks by id. */
  readonly tasks: Tasks;
  /** The active models (`GET /models`, cached). */
  readonly models: Models;
  /** The API key and the team's balance. */
  readonly account: Account;
  /** The API base URL in use. */
  readonly baseURL: string;

  readonly #transport: Transport;
  readonly #quota: QuotaCoordinator;
  readonly #context: TaskContext;

  constructor(options: ModellixOptions = {}) {
    const env = readEnv();
    const apiKey = options.apiKey ?? env.MODELLIX_API_KEY;
    this.baseURL = checkBaseURL(options.baseURL ?? env.MODELLIX_BASE_URL ?? defaultBaseURL);
    checkApiKey(apiKey, options.dangerouslyAllowBrowser === true);
    checkLimits(options);
    const logger = createLogger(options.logger, options.logLevel, env.MODELLIX_LOG);
    this.#transport = new Transport({
      apiKey: apiKey || undefined,
      baseURL: this.baseURL,
      timeoutMs: options.timeout ?? 30_000,
      retry: { ...defaultRetryPolicy, maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries },
      fetch: options.fetch,
      retryUnsafeSubmits: options.retryUnsafeSubmits ?? false,
      maxResponseBytes: options.maxResponseBytes ?? 8 * 1024 * 1024,
      throttle: { spacingMs: 1000, threshold: 0.2, maxWaitMs: 60_000 },
      logger,
    });
    this.#quota = options.quota ?? new LocalQuota(options.maxConcurrentTasks ?? 3);
    const context: TaskContext = {
      transport: this.#transport,
      quota: this.#quota,
      poll: { initialMs: 2000, maxMs: 5000, factor: 1.5, ...options.pollInterval },
      waitTimeouts: options.waitTimeouts ?? {},
      logger,
      quotaHoldMs: options.quotaHoldMs,
    };
    this.#context = context;
    this.t2i = new TextToImage(context);
    this.i2v = new ImageToVideo(context);
    this.t2v = new TextToVideo(context);
    this.i2i = new ImageToImage(context);
    this.expansion = new ImageExpansion(context);
    this.tasks = new Tasks(context);
    this.models = new Models(this.#transport, options.modelsCacheMs ?? 300_000);
    this.account = new Account(this.#transport);
  }

  /**
   * Submits a task of a type without a namespace (`r2v`, `v2v`, or any newer
   * type) and returns the same Task promise: `await client.run("r2v", "vidu/viduq3-r2v", { prompt, images }).wait()`.
   */
  run<T extends ModelType | (string & {})>(
    type: T,
    model: ModelSlug<T extends ModelType ? KnownModelOf<T> : never>,
    input: RunInput = {},
    options?: SubmitOptions,
  ): TaskPromise {
    return runTask(this.#context, type, model, input, options);
  }

  /**
   * Runs many tasks: validates every item first (nothing is sent if one is
   * invalid), submits them under the team quota and waits for each. Await it
   * for the results in input order, or `for await` it for each as it completes.
   */
  batch(items: readonly BatchItem[], options?: BatchOptions): BatchRun {
    return runBatch(this.#context, items, options);
  }

  /** Rate-limit headers of the latest response (`X-RateLimit-Limit`, `-Remaining`, `-Reset`). */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#transport.rateLimit;
  }

  /** Shortcut for `client.t2i.submit(input, options)`. */
  textToImage(input: TextToImageInput, options?: SubmitOptions): TaskPromise {
    return this.t2i.submit(input, options);
  }

  /** Shortcut for `client.i2v.submit(input, options)`. */
  imageToVideo(input: ImageToVideoInput, options?: SubmitOptions): TaskPromise {
    return this.i2v.submit(input, options);
  }

  /** Shortcut for `client.t2v.submit(input, options)`. */
  textToVideo(input: TextToVideoInput, options?: SubmitOptions): TaskPromise {
    return this.t2v.submit(input, options);
  }

  /** Shortcut for `client.i2i.submit(input, options)`. */
  imageToImage(input: ImageToImageInput, options?: SubmitOptions): TaskPromise {
    return this.i2i.submit(input, options);
  }

  /** Shortcut for `client.expansion.submit(input, options)`. */
  expandImage(input: ImageExpansionInput, options?: SubmitOptions): TaskPromise {
    return this.expansion.submit(input, options);
  }

  /** A key-free description for logs and `util.inspect`. */
  toJSON(): Record<string, unknown> {
    return { baseURL: this.baseURL };
  }
}

/** Refuses numeric options that would make the client misbehave (0 slots, negative timeouts...). */
function checkLimits(options: ModellixOptions): void {
  const rules: Array<[keyof ModellixOptions, number, string]> = [
    ["timeout", 1, "a positive number of ms"],
    ["maxRetries", 0, "a whole number, 0 or more"],
    ["maxConcurrentTasks", 1, "a whole number, 1 or more"],
    ["maxResponseBytes", 1, "a positive number of bytes"],
    ["modelsCacheMs", 0, "a whole number of ms, 0 or more"],
    ["quotaHoldMs", 0, "a whole number of ms, 0 or more"],
  ];
  const issues = rules
    .filter(([name, min]) => {
      const value = options[name];
      if (value === undefined) return false;
      const whole = name === "timeout" || name === "maxResponseBytes" || Number.isInteger(value);
      return typeof value !== "number" || !(value >= min) || !whole || Number.isNaN(value);
    })
    .map(([name, , expected]) => ({ path: name, message: `must be ${expected}` }));
  if (issues.length > 0) throw new ValidationError(issues, "client options");
}

function isBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== "undefined" && typeof (globalThis as { document?: unknown }).document !== "undefined";
}

/** Refuses keys that would corrupt the Authorization header, and keys in browsers unless explicitly allowed. */
function checkApiKey(apiKey: string | undefined, allowBrowser: boolean): void {
  if (apiKey === undefined || apiKey === "") return;
  if (/[^\x21-\x7e]/.test(apiKey)) {
    throw new ModellixError("The API key contains whitespace, control (CR, LF, NUL) or non-ASCII characters; check how it was read.");
  }
  if (isBrowser() && !allowBrowser) {
    throw new ModellixError(
      "An API key in a browser can be read by anyone using the page. Call Modellix through a server-side proxy (modellix/proxy) with no key, or pass dangerouslyAllowBrowser: true.",
    );
  }
}
