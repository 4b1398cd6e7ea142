import {
  APIError,
  UserAbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InsufficientBalanceError,
  NotFoundError,
  PermissionDeniedError,
  SubmitOutcomeUnknownError,
  TaskFailedError,
  RequestTimeoutError,
  ValidationError,
  WaitTimeoutError,
} from "../core/errors.js";

/** A mistake on the command line (unknown option, missing argument, bad value). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** No API key was found, so nothing was sent. */
export class MissingKeyError extends Error {
  override name = "MissingKeyError";
  /** `problem`: why no saved key could be used (an unknown profile, an unreadable config file). */
  constructor(problem?: string) {
    super(`No API key${problem ? ` (${problem})` : ""}: set MODELLIX_API_KEY, or save one with \`modellix auth login\` (\`modellix doctor\` checks the setup).`);
  }
}

/** The CLI's exit codes, documented in `modellix --help` and the README. */
export const exitCodes = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  auth: 3,
  network: 4,
  timeout: 5,
  notFound: 6,
  outcomeUnknown: 7,
  interrupted: 130,
} as const;

/** What each exit code means, in the order `--help` lists them. */
export const exitCodeHelp: ReadonlyArray<readonly [number, string]> = [
  [exitCodes.ok, "success"],
  [exitCodes.taskFailed, "the task ended `failed` (or an unexpected error)"],
  [exitCodes.usage, "bad arguments, invalid input or an unreadable config file (nothing was paid for)"],
  [exitCodes.auth, "no API key, key rejected (401), not allowed (403) or balance exhausted (402)"],
  [exitCodes.network, "network error, timeout of a request, rate limited, or a server error (5xx)"],
  [exitCodes.timeout, "--timeout elapsed before the task ended (it keeps running: `modellix task wait <id>`)"],
  [exitCodes.notFound, "unknown or expired task, or unknown model (404)"],
  [exitCodes.outcomeUnknown, "a paid submit may or may not have created a task; look in the Modellix console before submitting again"],
  [exitCodes.interrupted, "interrupted (Ctrl-C); a submitted task keeps running"],
];

/** The exit code an error ends the CLI with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof ValidationError || error instanceof BadRequestError) return exitCodes.usage;
  if (
    error instanceof MissingKeyError ||
    error instanceof AuthenticationError ||
    error instanceof PermissionDeniedError ||
    error instanceof InsufficientBalanceError
  ) {
    return exitCodes.auth;
  }
  if (error instanceof NotFoundError) return exitCodes.notFound;
  if (error instanceof TaskFailedError) return exitCodes.taskFailed;
  if (error instanceof WaitTimeoutError) return exitCodes.timeout;
  if (error instanceof SubmitOutcomeUnknownError) return exitCodes.outcomeUnknown;
  if (error instanceof UserAbortError) return exitCodes.interrupted;
  if (error instanceof APIError || error instanceof ConnectionError || error instanceof RequestTimeoutError) return exitCodes.network;
  return exitCodes.taskFailed;
}
