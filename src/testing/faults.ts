import { type FakeRequestMatch, matchesRequest } from "./request-match.js";
import type { FakeRouteKind } from "./routes.js";

/**
 * A scripted failure, applied by {@link FakeModellix.inject} to the next matching requests.
 *
 * - `status`: answer this HTTP status with an error envelope before processing (nothing is created).
 *   `message` is the whole envelope message (default `"<Category>: Injected fault"`); a 429
 *   gets `Retry-After: 1` unless `headers` says otherwise.
 * - `reset`: drop the connection before processing (nothing is created).
 * - `refuse`: fail as if the connection was refused: nothing was sent, nothing is created.
 * - `reset-after-create`: process the request (a submit creates its task), then drop the connection.
 * - `status-after-create`: process the request, then answer `status` instead of the real answer.
 * - `malformed-json`: process the request, then answer 200 with truncated JSON.
 * - `delay`: wait `ms` before processing; an aborted request is dropped unprocessed.
 * - `delay-after-create`: process the request, then wait `ms` before answering.
 * - `hang`: never answer; the request ends only when the client aborts or the server closes.
 * - `envelope-error`: answer HTTP 200 with `{ code, message }` and no `data` (nothing is created).
 * - `extra-fields`: process normally, adding unknown fields to every object of the answer.
 * - `missing-fields`: process normally, dropping optional fields (`model_id`, `get_result`,
 *   `created_at`, `result_expires_at`, `extensions`, `metadata`, `width`, `height`, `format`,
 *   `duration`, `role`, `docs_url`, `description`) from the answer's data (from the whole
 *   body of the unenveloped `GET /models`).
 */
export type FakeFault =
  | { kind: "status"; status: number; headers?: Record<string, string>; message?: string }
  | { kind: "reset" }
  | { kind: "refuse" }
  | { kind: "reset-after-create" }
  | { kind: "status-after-create"; status: number; headers?: Record<string, string>; message?: string }
  | { kind: "malformed-json" }
  | { kind: "delay"; ms: number }
  | { kind: "delay-after-create"; ms: number }
  | { kind: "hang" }
  | { kind: "envelope-error"; code: number; message: string }
  | { kind: "extra-fields" }
  | { kind: "missing-fields" };

/** Options of {@link FakeModellix.inject}. */
export interface FakeInjectOptions {
  /** How many matching requests the fault applies to (default 1; `Infinity` for all). */
  times?: number;
  /** Which requests it applies to (default: any). */
  match?: FakeRequestMatch;
}

interface QueuedFault {
  fault: FakeFault;
  remaining: number;
  match: FakeRequestMatch | undefined;
}

/** Injected faults in FIFO order; each request takes the oldest one that matches it. */
export class FaultQueue {
  #queue: QueuedFault[] = [];

  /** Queues `fault` for the next `times` matching requests. */
  add(fault: FakeFault, options: FakeInjectOptions = {}): void {
    const remaining = options.times ?? 1;
    if (!(remaining > 0)) throw new RangeError(`inject: times must be positive, got ${remaining}`);
    this.#queue.push({ fault, remaining, match: options.match });
  }

  /** Takes one use of the oldest fault matching this request, if any. */
  take(method: string, path: string, route: FakeRouteKind): FakeFault | undefined {
    const index = this.#queue.findIndex((entry) => matchesRequest(entry.match, method, path, route));
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#queue.splice(index, 1);
    return entry.fault;
  }

  /** Forgets every queued fault. */
  clear(): void {
    this.#queue = [];
  }
}
