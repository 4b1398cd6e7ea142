import { paramsOf } from "./catalog.js";
import { type FakeClock, systemClock } from "./clock.js";
import { type Reply, badRequest, bare, categoryOf, errorReply, fail, ok } from "./envelope.js";
import { type FakeFault, type FakeInjectOptions, FaultQueue } from "./faults.js";
import { type FakeFileFormat, bytesResponse, fileResponse } from "./files.js";
import { type FakeMediaFile, MediaStore, mediaFileData, readUploadedPart } from "./media.js";
import { guessModelType, outputOf } from "./model-types.js";
import { type FakeModelSpec, listModels, lookupModel } from "./models.js";
import { fetchFailedError, networkFailure, networkFailureOf } from "./network-errors.js";
import { type FakeModellixOptions, type FakeSettings, type ResolvedSettings, resolveSettings, taskTiming } from "./options.js";
import { checkSubmitBody } from "./param-check.js";
import { RateWindow } from "./rate-window.js";
import { type RequestPayload, readPayload } from "./request-body.js";
import { type FakeRequestRecord, redactHeaders } from "./request-log.js";
import { type FakeRequestMatch, matchesRequest } from "./request-match.js";
import { CORS_HEADERS, jsonResponse, preflightResponse } from "./response.js";
import { type Route, parseRoute, splitPath } from "./routes.js";
import { withExtraFields, withoutOptionalFields } from "./shape-faults.js";
import { resourcesOf, submitData, taskData } from "./task-view.js";
import { type FakeTask, type FakeTaskInfo, type TaskRecord, TaskStore, statusAt } from "./tasks.js";
import { untilAborted, waitUnlessAborted } from "./waits.js";
import { type FakeWebhookAttempt, WebhookOutbox } from "./webhooks.js";

/** Counters of what the fake has seen and answered. */
export interface FakeStats {
  /** Requests received (preflights included). */
  requests: number;
  /** Tasks created by submits. */
  tasksCreated: number;
  /** Files stored by `POST /media/files` (deleted ones included). */
  filesUploaded: number;
  /** Requests an injected fault applied to. */
  faultsApplied: number;
  /** 429 answers sent, by reason. */
  tooManyRequests: { concurrency: number; rateLimit: number; injected: number };
  /** The most tasks ever pending or processing at once. */
  maxConcurrentObserved: number;
}

/** Extra facts about a request that the `Request` object cannot carry. */
export interface FakeHandleContext {
  /** The pathname exactly as received, before URL normalisation; routing uses it when given. */
  rawPath?: string;
}

/** An answer before it becomes a `Response`: a JSON reply, a generated file, or an uploaded one. */
type Answer = Reply | { file: FakeFileFormat } | { upload: FakeMediaFile };

type ApiRoute = Exclude<Route, { kind: "file" | "upload" | "outside" }>;
type SubmitRoute = Extract<Route, { kind: "submit" }>;
type StatusFault = Extract<FakeFault, { kind: "status" | "status-after-create" }>;
type LogEntry = { -readonly [K in keyof FakeRequestRecord]: FakeRequestRecord[K] };

/**
 * An in-process fake of the Modellix API as it really is (`/api/v1` under an
 * origin): submits to `POST /api/v1/{provider}/{model_id}` (and the `/async`
 * alias) checked against each known model's parameters, tasks that progress on a
 * controllable clock (computed when read, no timers) and expire at their
 * `result_expires_at`, image, video and audio results, the unenveloped
 * `GET /models`, key validation, balance, media-file uploads, the team's
 * concurrent-task quota, a per-minute rate window, scripted faults and a request log.
 *
 * Use it directly through {@link FakeModellix.fetch}, over HTTP with
 * `createFakeServer()`, or inside msw with `createFakeHandlers()` from `modellix/testing/msw`.
 * The SDK's `baseURL` is the origin the fake is reached at (plus `prefix`, if any).
 *
 * @example
 * ```ts
 * const fake = new FakeModellix();
 * const client = new Modellix({ apiKey: "test", baseURL: "https://api.modellix.ai", fetch: fake.fetch });
 * fake.inject({ kind: "status", status: 503 }, { match: { route: "submit" } });
 * ```
 */
export class FakeModellix {
  /** The path in front of `/api/v1`: `""` by default, or e.g. `/api/modellix`. */
  readonly prefix: string;

  /** The path the API lives under: `{prefix}/api/v1`. */
  readonly basePath: string;

  /**
   * A `fetch` answered by this fake: no network at all. Connection faults reject
   * like Node's fetch (`TypeError("fetch failed")` with an `ECONNRESET` or
   * `ECONNREFUSED` cause). A signal aborted before the answer is ready rejects
   * with its reason (the request may still have been processed, as on a real network).
   */
  readonly fetch: typeof fetch;

  readonly #clock: FakeClock;
  readonly #prefixSegments: string[];
  #settings: ResolvedSettings;
  #rate: RateWindow;
  readonly #faults = new FaultQueue();
  readonly #tasks = new TaskStore();
  readonly #media = new MediaStore();
  readonly #webhooks = new WebhookOutbox();
  #log: FakeRequestRecord[] = [];
  #faultsApplied = 0;
  #filesUploaded = 0;
  #tooMany = { concurrency: 0, rateLimit: 0, injected: 0 };
  readonly #inFlight = new Set<Request>();
  #taskCount = 0;
  #requestCount = 0;

  constructor(options: FakeModellixOptions = {}) {
    const { prefix = "", clock = systemClock, ...settings } = options;
    this.#prefixSegments = prefix.split("/").filter(Boolean);
    this.prefix = this.#prefixSegments.length ? `/${this.#prefixSegments.join("/")}` : "";
    this.basePath = `${this.prefix}/api/v1`;
    this.#clock = clock;
    this.#settings = resolveSettings(settings);
    this.#rate = new RateWindow(this.#settings.rateLimit);
    this.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.signal.aborted) throw request.signal.reason;
      const response = await this.handle(request);
      if (request.signal.aborted) throw request.signal.reason;
      const failure = networkFailureOf(response);
      if (failure !== undefined) throw fetchFailedError(failure);
      return response;
    };
  }

  /** Changes settings from now on; a key set to `undefined` returns to its default. Tasks keep their timeline. */
  configure(changes: FakeSettings): void {
    this.#settings = resolveSettings(this.#settings, changes);
    if (this.#rate.limit !== this.#settings.rateLimit) this.#rate = new RateWindow(this.#settings.rateLimit);
  }

  /** Applies `fault` to the next matching request(s), after any fault queued before it (FIFO). */
  inject(fault: FakeFault, options?: FakeInjectOptions): void {
    this.#faults.add(fault, options);
  }

  /** Forgets every queued fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /** Forgets tasks, uploaded files, requests, faults, counters and the rate window; settings stay. */
  reset(): void {
    this.#faults.clear();
    this.#tasks.clear();
    this.#media.clear();
    this.#webhooks.clear();
    this.#log = [];
    this.#faultsApplied = 0;
    this.#filesUploaded = 0;
    this.#tooMany = { concurrency: 0, rateLimit: 0, injected: 0 };
    this.#rate = new RateWindow(this.#settings.rateLimit);
  }

  /** Every request received, oldest first. */
  get requests(): readonly FakeRequestRecord[] {
    return this.#log;
  }

  /** How many logged requests match (all of them without a filter). */
  countRequests(match?: FakeRequestMatch): number {
    return this.#log.filter((record) => matchesRequest(match, record.method, record.path, record.route)).length;
  }

  /** Every created task, with its status at the clock's now. */
  get tasks(): FakeTask[] {
    return this.#tasks.list(this.#clock.now());
  }

  /** Every uploaded file not deleted, oldest first. */
  get files(): FakeMediaFile[] {
    return this.#media.list();
  }

  /** The most tasks ever pending or processing at the same moment (from their intervals on the clock). */
  get maxConcurrentObserved(): number {
    return this.#tasks.maxConcurrent();
  }

  /** Every webhook POST the fake made, oldest first. */
  get webhookDeliveries(): readonly FakeWebhookAttempt[] {
    return this.#webhooks.log;
  }

  /**
   * Posts the webhook deliveries due at the clock's now: the end
   * (`prediction.task.succeeded`, `failed` or `canceled`) of each task submitted
   * with an `X-Webhook-URL` that has ended by then, and the retries whose backoff
   * has passed. Deliveries follow the clock like task states, so nothing is
   * posted by itself: call this after moving the clock (`createFakeServer` calls
   * it on a timer). Each POST carries `X-Modellix-Task-ID`, `X-Modellix-Delivery-ID`
   * and `X-Modellix-Retry-Count`; a 2xx acknowledges it, a 429, a 5xx or a network
   * error is retried after 1, 2, 4 and 8 s of the clock (5 attempts in all), any
   * other answer ends it. Posts go through the `webhookFetch` setting, else
   * `fetch` to localhost URLs only. Resolves with the attempts made.
   */
  deliverWebhooks(): Promise<FakeWebhookAttempt[]> {
    const { webhookFetch, timeUnit, webhookRepeats } = this.#settings;
    return this.#webhooks.deliver(this.#clock.now(), { fetch: webhookFetch, timeUnit, repeats: webhookRepeats });
  }

  /** Counters of requests, tasks, uploads, faults and 429s. */
  get stats(): FakeStats {
    return {
      requests: this.#log.length,
      tasksCreated: this.#tasks.size,
      filesUploaded: this.#filesUploaded,
      faultsApplied: this.#faultsApplied,
      tooManyRequests: { ...this.#tooMany },
      maxConcurrentObserved: this.maxConcurrentObserved,
    };
  }

  /**
   * Answers one request. A connection fault comes back as a network-error
   * response (`Response.error()`); `networkFailureOf(response)` tells which.
   */
  async handle(request: Request, context: FakeHandleContext = {}): Promise<Response> {
    const url = new URL(request.url);
    const rawPath = context.rawPath ?? url.pathname;
    const segments = splitPath(rawPath);
    const route: Route = segments ? parseRoute(segments, this.#prefixSegments) : { kind: "unknown", rest: [] };
    const payload = await readPayload(request);
    const record: LogEntry = {
      method: request.method.toUpperCase(),
      path: segments ? `/${segments.join("/")}` : rawPath,
      rawPath,
      query: url.search,
      route: route.kind,
      headers: redactHeaders(request.headers),
      body: payload.logged,
      at: this.#clock.now(),
      status: 0,
      requestId: `req-${++this.#requestCount}`,
      fault: undefined,
    };
    this.#log.push(record);
    const headers: Record<string, string> = { ...CORS_HEADERS, "X-Request-Id": record.requestId };
    // Held until answered: a request's signal follows the client's only weakly, so a
    // request waiting for its abort (hang, delay) must not be collected meanwhile.
    this.#inFlight.add(request);
    try {
      const response = await this.#answer(request, record, route, payload, url, headers);
      record.status = response.status;
      return response;
    } finally {
      this.#inFlight.delete(request);
    }
  }

  async #answer(
    request: Request,
    record: LogEntry,
    route: Route,
    payload: RequestPayload,
    url: URL,
    headers: Record<string, string>,
  ): Promise<Response> {
    if (record.method === "OPTIONS") return preflightResponse(headers);
    const fault = this.#faults.take(record.method, record.path, route.kind);
    if (fault) {
      record.fault = fault.kind;
      this.#faultsApplied += 1;
    }
    const dropped = await this.#faultBefore(fault, request.signal);
    if (dropped) return dropped;
    const answer = await this.#process(fault, route, request, record, payload, url, headers);
    return this.#faultAfter(fault, answer, request.signal, headers);
  }

  /** Applies the faults that act before processing: a dropped connection, or a wait. */
  async #faultBefore(fault: FakeFault | undefined, signal: AbortSignal): Promise<Response | undefined> {
    switch (fault?.kind) {
      case "reset":
      case "refuse":
        return networkFailure(fault.kind);
      case "hang":
        await untilAborted(signal);
        return networkFailure("reset");
      case "delay":
        return (await waitUnlessAborted(fault.ms, signal)) ? undefined : networkFailure("reset");
      default:
        return undefined;
    }
  }

  /** Counts the request against the rate window (API paths only) and produces its answer. */
  async #process(
    fault: FakeFault | undefined,
    route: Route,
    request: Request,
    record: LogEntry,
    payload: RequestPayload,
    url: URL,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const now = this.#clock.now();
    const served = route.kind === "file" || route.kind === "upload" || route.kind === "outside";
    const rate = served ? undefined : this.#rate.hit(now);
    if (rate) Object.assign(headers, rate.headers);
    if (fault?.kind === "status") return this.#statusFault(fault);
    if (fault?.kind === "envelope-error") {
      return { status: 200, body: { code: fault.code, message: fault.message }, enveloped: true };
    }
    if (route.kind === "outside") return fail(404, "Unknown endpoint");
    if (route.kind === "file" || route.kind === "upload") {
      if (record.method !== "GET" && record.method !== "HEAD") return methodNotAllowed(record.method, ["GET", "HEAD"]);
      return route.kind === "file" ? this.#file(route, url.origin, now) : this.#uploaded(route);
    }
    if (rate && !rate.allowed) {
      this.#tooMany.rateLimit += 1;
      return fail(429, "Rate limit exceeded", { "Retry-After": String(rate.retryAfterSeconds) });
    }
    return this.#api(route, request, record, payload, url, now);
  }

  /** Applies the faults that act on a processed request, then serialises the answer. */
  async #faultAfter(
    fault: FakeFault | undefined,
    answer: Answer,
    signal: AbortSignal,
    headers: Record<string, string>,
  ): Promise<Response> {
    let final = answer;
    switch (fault?.kind) {
      case "reset-after-create":
        return networkFailure("reset");
      case "status-after-create":
        final = this.#statusFault(fault);
        break;
      case "delay-after-create":
        if (!(await waitUnlessAborted(fault.ms, signal))) return networkFailure("reset");
        break;
      case "extra-fields":
        if ("body" in final) final = withExtraFields(final);
        break;
      case "missing-fields":
        if ("body" in final) final = withoutOptionalFields(final);
        break;
    }
    if ("file" in final) return fileResponse(final.file, headers);
    if ("upload" in final) return bytesResponse(final.upload.bytes, final.upload.contentType, headers);
    return jsonResponse(final, headers, fault?.kind === "malformed-json");
  }

  async #api(route: ApiRoute, request: Request, record: LogEntry, payload: RequestPayload, url: URL, now: number): Promise<Reply> {
    const key = bearerToken(request.headers.get("authorization"));
    if (key === undefined) return fail(401, "missing API key");
    if (route.kind !== "validate" && !this.#accepts(key)) return fail(401, "invalid API key");
    if (route.kind === "unknown") {
      // A POST that routes nowhere is a submit to a model the API does not have (e.g. an old typed path).
      const named = route.rest.join("/").replace(/\/async$/, "");
      return record.method === "POST" ? fail(404, `Model not found: ${named}`) : fail(404, "Unknown endpoint");
    }
    if (!(route.methods as readonly string[]).includes(record.method)) return methodNotAllowed(record.method, route.methods);
    switch (route.kind) {
      case "validate":
        return ok({ is_valid: this.#accepts(key) });
      case "balance":
        return ok({ balance: this.#settings.balance });
      case "models": {
        const list = listModels(this.#settings.models, url.searchParams);
        return "refusal" in list ? badRequest(list.refusal) : bare({ ...list });
      }
      case "task":
        return this.#readTask(route.taskId, url.origin, now);
      case "submit":
        return this.#submit(route, payload.json, request.headers.get("x-webhook-url"), url.origin, now);
      case "media-files":
        return record.method === "GET" ? ok({ files: this.#media.list().map(mediaFileData) }) : this.#upload(payload, url.origin, now);
      case "media-file":
        return this.#media.delete(route.fileId) ? ok({ file_id: route.fileId, deleted: true }) : fail(404, "File not found");
    }
  }

  /** Which model a submit names: a listed one, a guessed one (`strictModels: false`), or none (404). */
  #modelFor(route: SubmitRoute): FakeModelSpec | undefined {
    const slug = `${route.provider}/${route.modelId}`;
    const found = lookupModel(this.#settings.models, slug);
    if (found && "spec" in found) return found.spec;
    if (found || this.#settings.strictModels) return undefined;
    return { slug, type: guessModelType(route.modelId) };
  }

  /**
   * A submit: 404 unknown model, 400 bad body or `X-Webhook-URL`, 402 no balance, 429 team
   * quota full, else a new pending task (delivered to its webhook URL when it ends).
   */
  #submit(route: SubmitRoute, body: unknown, webhookUrl: string | null, origin: string, now: number): Reply {
    const settings = this.#settings;
    const spec = this.#modelFor(route);
    if (!spec) return fail(404, `Model not found: ${route.provider}/${route.modelId}`);
    const checked = checkSubmitBody(body, paramsOf(spec), settings.promptRequired.includes(spec.type));
    if ("refusal" in checked) return badRequest(checked.refusal);
    if (webhookUrl !== null && !isWebhookUrl(webhookUrl)) {
      return badRequest({ category: "Invalid format", detail: "header 'X-Webhook-URL' must be an http(s) URL" });
    }
    if (settings.balance <= 0) return fail(402, "Insufficient balance");
    if (this.#tasks.activeAt(now) >= settings.maxConcurrentTasks) {
      this.#tooMany.concurrency += 1;
      return fail(429, "Team concurrent task limit reached", { "Retry-After": "1" });
    }
    const info: FakeTaskInfo = {
      id: `task-${++this.#taskCount}-${Math.random().toString(36).slice(2, 8)}`,
      type: spec.type,
      output: outputOf(spec.type),
      provider: route.provider,
      modelId: route.modelId,
      model: spec.slug,
      viaAlias: route.alias,
      input: checked.input,
      createdAt: now,
    };
    const { pendingMs, durationMs, retentionMs } = taskTiming(settings, info);
    const finishedAt = now + Math.max(pendingMs, durationMs);
    const task: TaskRecord = {
      ...info,
      startedAt: now + pendingMs,
      finishedAt,
      expiresAt: finishedAt + retentionMs,
      outcome: settings.outcome(info),
    };
    this.#tasks.add(task);
    if (webhookUrl !== null) this.#webhooks.add(task, webhookUrl, origin);
    return ok(submitData(task, `${origin}${this.basePath}/tasks/${encodeURIComponent(task.id)}`));
  }

  #readTask(taskId: string, origin: string, now: number): Reply {
    const task = this.#tasks.get(taskId);
    if (!task) return fail(404, "Task not found");
    if (now >= task.expiresAt) return fail(404, "Task expired");
    return ok(taskData(task, now, origin, this.#settings.timeUnit));
  }

  async #upload(payload: RequestPayload, origin: string, now: number): Promise<Reply> {
    const part = await readUploadedPart(payload.form, this.#settings.maxUploadBytes);
    if ("category" in part) return badRequest(part);
    if ("status" in part) return fail(part.status, part.detail);
    this.#filesUploaded += 1;
    return ok(mediaFileData(this.#media.add(part, origin, now)));
  }

  #file(route: Extract<Route, { kind: "file" }>, origin: string, now: number): Answer {
    const task = this.#tasks.get(route.taskId);
    if (task && now >= task.expiresAt) return fail(404, "File expired");
    const resource = task && statusAt(task, now) === "success" ? resourcesOf(task, origin)[route.index] : undefined;
    if (!resource || resource.format !== route.format) return fail(404, "File not found");
    return { file: route.format };
  }

  #uploaded(route: Extract<Route, { kind: "upload" }>): Answer {
    const file = this.#media.get(route.fileId);
    return file && file.filename === route.filename ? { upload: file } : fail(404, "File not found");
  }

  #statusFault(fault: StatusFault): Reply {
    if (fault.status === 429) this.#tooMany.injected += 1;
    const headers = { ...(fault.status === 429 ? { "Retry-After": "1" } : {}), ...fault.headers };
    return errorReply(fault.status, fault.message ?? `${categoryOf(fault.status)}: Injected fault`, headers);
  }

  #accepts(key: string): boolean {
    return this.#settings.apiKeys === undefined || this.#settings.apiKeys.includes(key);
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined without the `Bearer` scheme. */
function bearerToken(header: string | null): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
}

/** True for an absolute http(s) URL, as `X-Webhook-URL` must be. */
function isWebhookUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

/** 405 with the `Allow` header. */
function methodNotAllowed(method: string, allowed: readonly string[]): Reply {
  return fail(405, `${method} is not allowed here`, { Allow: [...allowed, "OPTIONS"].join(", ") });
}
