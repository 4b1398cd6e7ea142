import { type FakeClock, systemClock } from "./clock.js";
import { type Reply, categoryOf, errorReply, fail, ok } from "./envelope.js";
import { type FakeFault, type FakeInjectOptions, FaultQueue } from "./faults.js";
import { type FakeFileFormat, fileResponse } from "./files.js";
import { filterModels, toModelEntry } from "./models.js";
import { fetchFailedError, networkFailure, networkFailureOf } from "./network-errors.js";
import { type FakeModellixOptions, type FakeSettings, type ResolvedSettings, resolveSettings, taskTiming } from "./options.js";
import { RateWindow } from "./rate-window.js";
import { type FakeRequestRecord, parseBody, redactHeaders } from "./request-log.js";
import { type FakeRequestMatch, matchesRequest } from "./request-match.js";
import { CORS_HEADERS, jsonResponse, preflightResponse } from "./response.js";
import { type Route, parseRoute, splitPath } from "./routes.js";
import { withExtraFields, withoutOptionalFields } from "./shape-faults.js";
import { validateSubmitBody } from "./submit-validation.js";
import { resourcesOf, submitData, taskData } from "./task-view.js";
import { type FakeTask, type FakeTaskInfo, type TaskRecord, TaskStore, statusAt } from "./tasks.js";
import { untilAborted, waitUnlessAborted } from "./waits.js";

/** Counters of what the fake has seen and answered. */
export interface FakeStats {
  /** Requests received (preflights included). */
  requests: number;
  /** Tasks created by submits. */
  tasksCreated: number;
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

/** An answer before it becomes a `Response`: a JSON reply, or a generated file. */
type Answer = Reply | { file: FakeFileFormat };

type ApiRoute = Exclude<Route, { kind: "file" } | { kind: "outside" }>;
type SubmitRoute = Extract<Route, { kind: "submit" }>;
type FileRoute = Extract<Route, { kind: "file" }>;
type StatusFault = Extract<FakeFault, { kind: "status" | "status-after-create" }>;
type LogEntry = { -readonly [K in keyof FakeRequestRecord]: FakeRequestRecord[K] };

/**
 * An in-process fake of the Modellix API: a state machine over fetch-standard
 * `Request`/`Response`, with tasks that progress on a controllable clock (computed
 * when read, no timers), the team's concurrent-task quota, a per-minute rate
 * window, scripted faults and a request log.
 *
 * Use it directly through {@link FakeModellix.fetch}, over HTTP with
 * `createFakeServer()`, or inside msw with `createFakeHandlers()` from `modellix/testing/msw`.
 *
 * @example
 * ```ts
 * const fake = new FakeModellix();
 * const client = new Modellix({ apiKey: "test", baseURL: "https://api.modellix.ai/api/v1", fetch: fake.fetch });
 * fake.inject({ kind: "status", status: 503 }, { match: { method: "POST" } });
 * ```
 */
export class FakeModellix {
  /** The path the API lives under, e.g. `/api/v1`. */
  readonly basePath: string;

  /**
   * A `fetch` answered by this fake: no network at all. Connection faults reject
   * like Node's fetch (`TypeError("fetch failed")` with an `ECONNRESET` or
   * `ECONNREFUSED` cause). A signal aborted before the answer is ready rejects
   * with its reason (the request may still have been processed, as on a real network).
   */
  readonly fetch: typeof fetch;

  readonly #clock: FakeClock;
  readonly #baseSegments: string[];
  #settings: ResolvedSettings;
  #rate: RateWindow;
  readonly #faults = new FaultQueue();
  readonly #tasks = new TaskStore();
  #log: FakeRequestRecord[] = [];
  #faultsApplied = 0;
  #tooMany = { concurrency: 0, rateLimit: 0, injected: 0 };
  #taskCount = 0;
  #requestCount = 0;

  constructor(options: FakeModellixOptions = {}) {
    const { basePath = "/api/v1", clock = systemClock, ...settings } = options;
    this.#baseSegments = basePath.split("/").filter(Boolean);
    this.basePath = this.#baseSegments.length ? `/${this.#baseSegments.join("/")}` : "";
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

  /** Forgets tasks, requests, faults, counters and the rate window; settings stay. */
  reset(): void {
    this.#faults.clear();
    this.#tasks.clear();
    this.#log = [];
    this.#faultsApplied = 0;
    this.#tooMany = { concurrency: 0, rateLimit: 0, injected: 0 };
    this.#rate = new RateWindow(this.#settings.rateLimit);
  }

  /** Every request received, oldest first. */
  get requests(): readonly FakeRequestRecord[] {
    return this.#log;
  }

  /** How many logged requests match (all of them without a filter). */
  countRequests(match?: FakeRequestMatch): number {
    return this.#log.filter((record) => matchesRequest(match, record.method, record.path)).length;
  }

  /** Every created task, with its status at the clock's now. */
  get tasks(): FakeTask[] {
    return this.#tasks.list(this.#clock.now());
  }

  /** The most tasks ever pending or processing at the same moment (from their intervals on the clock). */
  get maxConcurrentObserved(): number {
    return this.#tasks.maxConcurrent();
  }

  /** Counters of requests, tasks, faults and 429s. */
  get stats(): FakeStats {
    return {
      requests: this.#log.length,
      tasksCreated: this.#tasks.size,
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
    const record: LogEntry = {
      method: request.method.toUpperCase(),
      path: segments ? `/${segments.join("/")}` : rawPath,
      rawPath,
      query: url.search,
      headers: redactHeaders(request.headers),
      body: parseBody(await request.text().catch(() => "")),
      at: this.#clock.now(),
      status: 0,
      requestId: `req-${++this.#requestCount}`,
      fault: undefined,
    };
    this.#log.push(record);
    const headers: Record<string, string> = { ...CORS_HEADERS, "X-Request-Id": record.requestId };
    const response = await this.#answer(request, record, segments, url, headers);
    record.status = response.status;
    return response;
  }

  async #answer(
    request: Request,
    record: LogEntry,
    segments: string[] | undefined,
    url: URL,
    headers: Record<string, string>,
  ): Promise<Response> {
    if (record.method === "OPTIONS") return preflightResponse(headers);
    const fault = this.#faults.take(record.method, record.path);
    if (fault) {
      record.fault = fault.kind;
      this.#faultsApplied += 1;
    }
    const dropped = await this.#faultBefore(fault, request.signal);
    if (dropped) return dropped;
    const route: Route = segments ? parseRoute(segments, this.#baseSegments) : { kind: "unknown" };
    const answer = this.#process(fault, route, request, record, url, headers);
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
  #process(
    fault: FakeFault | undefined,
    route: Route,
    request: Request,
    record: LogEntry,
    url: URL,
    headers: Record<string, string>,
  ): Answer {
    const now = this.#clock.now();
    const rate = route.kind === "file" || route.kind === "outside" ? undefined : this.#rate.hit(now);
    if (rate) Object.assign(headers, rate.headers);
    if (fault?.kind === "status") return this.#statusFault(fault);
    if (fault?.kind === "envelope-error") return { status: 200, body: { code: fault.code, message: fault.message, data: null } };
    if (route.kind === "outside") return fail(404, "Unknown endpoint");
    if (route.kind === "file") {
      if (record.method === "GET" || record.method === "HEAD") return this.#file(route, url.origin, now);
      return methodNotAllowed(record.method, "GET, HEAD, OPTIONS");
    }
    if (rate && !rate.allowed) {
      this.#tooMany.rateLimit += 1;
      return fail(429, "Rate limit exceeded", { "Retry-After": String(rate.retryAfterSeconds) });
    }
    return this.#api(route, request, record, url, now);
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
        if ("body" in final) final = { ...final, body: withExtraFields(final.body) };
        break;
      case "missing-fields":
        if ("body" in final) final = { ...final, body: withoutOptionalFields(final.body) };
        break;
    }
    if ("file" in final) return fileResponse(final.file, headers);
    return jsonResponse(final, headers, fault?.kind === "malformed-json");
  }

  #api(route: ApiRoute, request: Request, record: LogEntry, url: URL, now: number): Reply {
    const key = bearerToken(request.headers.get("authorization"));
    if (key === undefined || (route.kind !== "validate" && !this.#accepts(key))) {
      return fail(401, "Invalid or missing API key");
    }
    if (route.kind === "unknown") return fail(404, "Unknown endpoint");
    if (record.method !== route.method) return methodNotAllowed(record.method, `${route.method}, OPTIONS`);
    switch (route.kind) {
      case "validate":
        return ok({ is_valid: this.#accepts(key) });
      case "balance":
        return ok({ balance: this.#settings.balance });
      case "models":
        return ok(filterModels(this.#settings.models.map(toModelEntry), url.searchParams));
      case "task":
        return this.#readTask(route.taskId, url.origin, now);
      case "submit":
        return this.#submit(route, record.body, url.origin, now);
    }
  }

  #submit(route: SubmitRoute, body: unknown, origin: string, now: number): Reply {
    const settings = this.#settings;
    const model = `${route.provider}/${route.modelId}`;
    if (settings.balance <= 0) return fail(402, "Insufficient balance");
    if (settings.strictModels && !settings.models.some((spec) => spec.slug === model)) {
      return fail(404, `Model not found: ${model}`);
    }
    const checked = validateSubmitBody(body, route.type, settings.promptRequired);
    if ("error" in checked) return fail(400, checked.error);
    if (this.#tasks.activeAt(now) >= settings.maxConcurrentTasks) {
      this.#tooMany.concurrency += 1;
      return fail(429, "Team concurrent task limit reached", { "Retry-After": "1" });
    }
    const info: FakeTaskInfo = {
      id: `task-${++this.#taskCount}-${Math.random().toString(36).slice(2, 8)}`,
      type: route.type,
      provider: route.provider,
      modelId: route.modelId,
      model,
      input: checked.input,
      createdAt: now,
    };
    const { pendingMs, durationMs, retentionMs } = taskTiming(settings, info);
    const task: TaskRecord = {
      ...info,
      startedAt: now + pendingMs,
      finishedAt: now + Math.max(pendingMs, durationMs),
      expiresAt: now + retentionMs,
      outcome: settings.outcome(info),
    };
    this.#tasks.add(task);
    return ok(submitData(task, `${origin}${this.basePath}/tasks/${encodeURIComponent(task.id)}`));
  }

  #readTask(taskId: string, origin: string, now: number): Reply {
    const task = this.#tasks.get(taskId);
    if (!task) return fail(404, "Task not found");
    if (now >= task.expiresAt) return fail(404, "Task expired");
    return ok(taskData(task, now, origin));
  }

  #file(route: FileRoute, origin: string, now: number): Answer {
    const task = this.#tasks.get(route.taskId);
    if (task && now >= task.expiresAt) return fail(404, "File expired");
    const resource = task && statusAt(task, now) === "success" ? resourcesOf(task, origin)[route.index] : undefined;
    if (!resource || resource.format !== route.format) return fail(404, "File not found");
    return { file: route.format };
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

/** 405 with the `Allow` header. */
function methodNotAllowed(method: string, allow: string): Reply {
  return fail(405, `${method} is not allowed here`, { Allow: allow });
}
