/** The transport's log lines: each attempt at debug, each retry at info, with the API key scrubbed from all of them. */
import { APIError, type RateLimitInfo } from "./errors.js";
import type { LevelledLogger } from "./logger.js";

/** What a log line is about: an API call by its path, or a file by its URL (without the query). */
export type LogTarget = { method: string; path: string } | { method: string; url: string };

/** The log lines of one transport. */
export class RequestLog {
  readonly #logger: LevelledLogger;
  readonly #redact: (text: string) => string;

  constructor(logger: LevelledLogger, redact: (text: string) => string) {
    this.#logger = logger;
    this.#redact = redact;
  }

  /** Logs one attempt at debug: its status (or why it failed), its timing and the rate-limit figures. */
  attempt(target: LogTarget, attempt: number, startedAt: number, outcome: { status: number; rateLimit?: RateLimitInfo } | { error: Error }): void {
    if (!this.#logger.enabled("debug")) return; // runs for every response: build nothing when nobody reads it
    const ms = Date.now() - startedAt;
    const [label, where] = describe(target);
    if ("error" in outcome) {
      const { error } = outcome;
      this.write("debug", `${label} failed after ${ms} ms (attempt ${attempt}): ${error.message}`, { ...where, attempt, ms, error: error.name });
    } else {
      this.write("debug", `${label} → ${outcome.status} in ${ms} ms (attempt ${attempt})`, { ...where, attempt, ms, ...outcome });
    }
  }

  /** Logs a retry at info as it starts: the attempt that failed, why, and how long it waited since (server-requested wait or backoff). */
  retry(target: LogTarget, { error, attempt, delayMs }: { error: unknown; attempt: number; delayMs: number }): void {
    const reason = error instanceof Error ? error.message : String(error);
    const status = error instanceof APIError ? error.status : undefined;
    const [label, where] = describe(target);
    this.write("info", `${label} attempt ${attempt} failed (${reason}); retrying after ${delayMs} ms`, { ...where, status, attempt, delayMs, reason });
  }

  /** Logs with the key scrubbed from the message and from every string field. */
  write(level: "debug" | "info", message: string, fields: Record<string, unknown>): void {
    if (!this.#logger.enabled(level)) return;
    const scrubbed = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === "string" ? this.#redact(value) : value]));
    this.#logger.log(level, this.#redact(message), scrubbed);
  }
}

/** A log line's target as the start of its message, and as the fields naming it (a call's body or form never goes into a log). */
function describe(target: LogTarget): [string, Record<string, string>] {
  const { method } = target;
  return "url" in target ? [`${method} ${target.url}`, { method, url: target.url }] : [`${method} /${target.path}`, { method, path: target.path }];
}
