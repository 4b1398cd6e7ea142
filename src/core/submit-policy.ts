/**
 * Submit safety: which paid POST may ever be sent again. The one table of it,
 * after API.md "Submit safety" and the vendor CLI, which sends a POST exactly
 * once. Submits follow it, and so do uploads (the file store has a quota).
 */
import { isRecord } from "./envelope.js";
import {
  APIError,
  UserAbortError,
  ConnectionError,
  InvalidResponseError,
  type SubmitOutcomeReason,
  SubmitOutcomeUnknownError,
  RequestTimeoutError,
} from "./errors.js";
import { isRetryableRead } from "./retry.js";

/** What one outcome of a paid POST allows. */
type SubmitVerdict =
  /** Nothing was created or paid; the error is final and the POST is not sent again. */
  | "not_created"
  /** Nothing was created or paid, and the same POST may be sent again. */
  | "resend"
  /** A task (or a stored file) may exist: a {@link SubmitOutcomeUnknownError}, never sent again. */
  | "unknown";

/**
 * Answers by HTTP status. A status not listed here (every 5xx, 503 included:
 * the vendor never repeats a paid POST after one) is an unknown outcome.
 */
const answerVerdicts: Readonly<Partial<Record<number, Exclude<SubmitVerdict, "unknown">>>> = {
  400: "not_created", // bad parameters
  401: "not_created", // bad, missing or expired key
  402: "not_created", // balance exhausted
  403: "not_created", // not allowed
  404: "not_created", // unknown model or provider
  405: "not_created", // method not allowed
  413: "not_created", // body too large
  415: "not_created", // unsupported media type
  422: "not_created", // unprocessable body
  429: "resend", // rate limited, or the team's concurrent-task limit: refused before any work, so waited out
};

/** How one failed POST came out, and why when it is unknown. */
type SubmitJudgement = { verdict: "not_created" | "resend" } | { verdict: "unknown"; reason: SubmitOutcomeReason };

const unknown = (reason: SubmitOutcomeReason): SubmitJudgement => ({ verdict: "unknown", reason });
const notCreated: SubmitJudgement = { verdict: "not_created" };

/**
 * The rows without a plain HTTP status, then the status table:
 *
 * | outcome | verdict |
 * |---|---|
 * | abort while no POST was in flight (pacing, waiting out a 429) | not created (`UserAbortError`) |
 * | abort while the POST was in flight | unknown: aborted |
 * | a redirect (never followed) | unknown: redirected |
 * | a 2xx without a readable task id, or with a non-HTTP error code (`50001`) | unknown: unreadable response |
 * | connection error before any byte was sent | resend |
 * | connection lost after sending | unknown: connection lost |
 * | timeout | unknown: timeout |
 * | an HTTP status | {@link answerVerdicts}, else unknown: server error |
 * | any other failure | unknown (connection lost) once sent, else not created |
 *
 * `inFlight`: the POST had been sent and no answer had arrived when `error` was raised.
 */
function judgeSubmit(error: unknown, inFlight: boolean): SubmitJudgement {
  if (error instanceof UserAbortError) return inFlight ? unknown("aborted") : notCreated;
  if (error instanceof InvalidResponseError) return unknown(error.status >= 300 && error.status < 400 ? "redirected" : "unreadable_response");
  if (error instanceof APIError) {
    const verdict = answerVerdicts[error.status];
    return verdict ? { verdict } : unknown("server_error");
  }
  if (error instanceof ConnectionError) return error.requestSent ? unknown("connection_lost") : { verdict: "resend" };
  if (error instanceof RequestTimeoutError) return unknown("timeout");
  return inFlight ? unknown("connection_lost") : notCreated;
}

/**
 * Whether a failed paid POST may be sent again: only when nothing was created
 * ({@link judgeSubmit} says "resend"), or, with `retryUnsafeSubmits`, also
 * where a read would be retried, at the risk of paying twice.
 */
export function mayResend(error: unknown, retryUnsafeSubmits = false): boolean {
  return judgeSubmit(error, false).verdict === "resend" || (retryUnsafeSubmits && isRetryableRead(error));
}

/**
 * The error a 2xx answer to a paid POST stands for when its envelope carries an
 * error code and no task id: that typed error when the code is a definite
 * rejection, else an {@link InvalidResponseError} (the outcome is unknown).
 */
export function rejectionIn2xx(error: APIError, status: number): APIError {
  if (error instanceof InvalidResponseError || answerVerdicts[error.status] === "not_created") return error;
  return new InvalidResponseError({
    status,
    message: `Invalid Response: a ${status} answer with error code ${error.status} (${error.detail})`,
    requestId: error.requestId,
  });
}

/** The task id a submit answer's `data` names, if it names one. */
export function taskIdOf(data: unknown): string | undefined {
  const id = isRecord(data) ? data.task_id : undefined;
  return typeof id === "string" && id.length > 0 ? id : undefined;
}

/** The latest attempt of a paid POST: its number, whether (and when) it was sent, and whether its answer arrived. */
export interface SubmitAttempt {
  number: number;
  sent: boolean;
  sentAt: Date;
  answered: boolean;
}

/** The model a submit is for, named in a {@link SubmitOutcomeUnknownError}. */
export interface SubmitTarget {
  type: string;
  model: string;
}

/**
 * The error a paid POST's call ends with: `error` itself when nothing was
 * created, else a {@link SubmitOutcomeUnknownError} naming the attempt.
 */
export function settleSubmit(error: unknown, attempt: SubmitAttempt, target: SubmitTarget): unknown {
  const judgement = judgeSubmit(error, attempt.sent && !attempt.answered);
  if (judgement.verdict !== "unknown") return error;
  return new SubmitOutcomeUnknownError({
    reason: judgement.reason,
    attempt: attempt.number,
    sentAt: attempt.sentAt,
    type: target.type,
    model: target.model,
    status: error instanceof APIError ? error.status : undefined,
    requestId: error instanceof APIError ? error.requestId : undefined,
    cause: error,
  });
}
