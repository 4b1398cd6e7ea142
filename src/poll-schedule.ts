/**
 * When to poll a task next: a small pure function over what the client knows.
 * A model whose run times the client has seen is polled first near its
 * earliest likely end, then densely until its latest likely end, then with a
 * backoff; an unknown model gets a plain backoff. While submits wait for a
 * quota slot, the tasks holding slots are polled sooner: their end frees one.
 */

/** The knobs of the schedule (client option `pollInterval`). */
export interface PollSchedule {
  /** First poll of a model the client knows nothing of, and the backoff's first step (default 2000). */
  initialMs: number;
  /** Longest interval between polls (default 5000). */
  maxMs: number;
  /** Growth of the backoff after each poll (default 1.5). */
  factor: number;
  /** Shortest interval between polls, around a known model's predicted end (default 250). */
  minMs: number;
  /** Interval of the safety-net polls of a task submitted with a webhook, until a delivery ends it (default 30000). */
  webhookMs: number;
}

/** The default schedule. */
export const defaultPollSchedule: PollSchedule = { initialMs: 2000, maxMs: 5000, factor: 1.5, minMs: 250, webhookMs: 30_000 };

/** The range of a model's run times (submit to end, in ms) the client has seen. */
export interface RunTimeRange {
  earliestMs: number;
  latestMs: number;
}

/** What the schedule is asked about one task. */
export interface PollState {
  /** Time since the task was submitted, when known. */
  elapsedMs: number | undefined;
  /** Polls made so far by this task's poller. */
  polls: number;
  /** The run times seen for its model, when any. */
  runTime: RunTimeRange | undefined;
  /** The task holds a quota slot and submits wait for one. */
  slotWanted: boolean;
  /** The task was submitted with a webhook: its delivery, not polling, tells the end. */
  webhook?: boolean | undefined;
}

/** The delay in ms before the next poll of a task in `state`. */
export function nextPollDelay(state: PollState, schedule: PollSchedule): number {
  const { initialMs, maxMs, factor, minMs, webhookMs } = schedule;
  if (state.webhook) return webhookMs;
  const soon = Math.max(minMs, initialMs);
  const { runTime, elapsedMs } = state;
  if (runTime === undefined || elapsedMs === undefined) {
    const backoff = Math.min(maxMs, initialMs * factor ** state.polls);
    return state.slotWanted ? Math.min(backoff, soon) : backoff;
  }
  const { earliestMs, latestMs } = runTime;
  // Dense steps across the range the run times spread over: about four polls from earliest to latest.
  const step = clamp((latestMs - earliestMs) / 4, minMs, initialMs);
  const firstAt = earliestMs + Math.min(minMs, earliestMs * 0.05);
  if (elapsedMs < firstAt) return firstAt - elapsedMs;
  const delay = elapsedMs <= latestMs ? step : clamp((elapsedMs - latestMs) / 2, step, maxMs);
  return state.slotWanted ? Math.min(delay, soon) : delay;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}

/** How many recent run times are kept per model. */
const samplesPerModel = 20;

/**
 * The run times the client has seen, per model: the most recent
 * {@link samplesPerModel}, read from the task's own `extensions.submit_time` /
 * `end_time` when it reports them, else from submit to the reading that saw the end.
 */
export class RunTimes {
  readonly #byModel = new Map<string, number[]>();

  /** Records one run time of `model`, in ms. */
  add(model: string, ms: number): void {
    if (!(ms > 0 && Number.isFinite(ms))) return;
    const samples = this.#byModel.get(model) ?? [];
    samples.push(ms);
    if (samples.length > samplesPerModel) samples.shift();
    this.#byModel.set(model, samples);
  }

  /** The range of `model`'s recent run times, when any was seen. */
  of(model: string | undefined): RunTimeRange | undefined {
    const samples = model === undefined ? undefined : this.#byModel.get(model);
    if (!samples?.length) return undefined;
    return { earliestMs: Math.min(...samples), latestMs: Math.max(...samples) };
  }
}
