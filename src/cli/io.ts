import { ModellixError, WaitTimeoutError } from "../core/errors.js";
import { MissingKeyError, UsageError, exitCodeOf, exitCodes } from "./exit-codes.js";
import { type Progress, type ProgressStream, createProgress } from "./progress.js";

/** The process around the CLI: streams, environment and the Ctrl-C signal. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts running work (Ctrl-C). */
  signal: AbortSignal;
}

/**
 * How a command reports: results on stdout (plain lines, or one JSON document
 * with `--json`), progress and errors on stderr.
 */
export class Output {
  readonly json: boolean;
  readonly #io: CliIO;

  constructor(io: CliIO, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** Prints the command's result: `lines` for people, `data` with `--json`. */
  result(lines: readonly string[], data: unknown): void {
    if (this.json) this.#io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else for (const line of lines) this.#io.stdout.write(`${line}\n`);
  }

  /** Progress on stderr: a spinner on a terminal, plain lines when piped, nothing with `--json`. */
  progress(): Progress {
    return createProgress(this.#io.stderr, !this.json);
  }

  /** Reports `error` (on stdout as `{ "error": ... }` with `--json`, else on stderr) and returns its exit code. */
  fail(error: unknown, command: string): number {
    const exitCode = exitCodeOf(error);
    const message = messageOf(error);
    if (this.json) {
      const details = error instanceof ModellixError ? error.toJSON() : { name: error instanceof Error ? error.name : "Error" };
      this.#io.stdout.write(`${JSON.stringify({ error: { ...details, message, exitCode } }, null, 2)}\n`);
      return exitCode;
    }
    this.#io.stderr.write(`modellix: ${message}\n`);
    const hint = hintFor(error, exitCode, command);
    if (hint) this.#io.stderr.write(`${hint}\n`);
    return exitCode;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof WaitTimeoutError) {
    return `Task ${error.taskId} did not finish within ${error.timeoutMs / 1000} s; it is still running.`;
  }
  return error instanceof Error ? error.message : String(error);
}

function hintFor(error: unknown, exitCode: number, command: string): string | undefined {
  if (error instanceof UsageError) return `Run \`${["modellix", command, "--help"].filter(Boolean).join(" ")}\` for usage.`;
  if (error instanceof WaitTimeoutError) return `Keep waiting with: modellix task wait ${error.taskId}`;
  if (exitCode === exitCodes.auth && !(error instanceof MissingKeyError)) return "Check MODELLIX_API_KEY; `modellix doctor` tests the key.";
  if (exitCode === exitCodes.interrupted) return "Interrupted. A submitted task keeps running: `modellix task wait <id>` resumes it.";
  return undefined;
}
