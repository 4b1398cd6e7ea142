import { UserAbortError, ModellixError, SubmitOutcomeUnknownError, WaitTimeoutError } from "../core/errors.js";
import { MissingKeyError, UsageError, exitCodeOf, exitCodes } from "./exit-codes.js";
import { type Progress, type ProgressStream, createProgress } from "./progress.js";
import { safeJson, safeText } from "./safe-text.js";

/** Standard input, for `--body -`, `batch -` and `auth login`. */
export interface InputStream extends AsyncIterable<Uint8Array | string> {
  /** True on a terminal: nothing is piped, so a key is prompted for. */
  isTTY?: boolean | undefined;
  /** Turns echo and line editing off (a terminal's), for the key prompt. */
  setRawMode?(raw: boolean): unknown;
}

/** The process around the CLI: streams, environment and the Ctrl-C signal. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  /** Standard input (default: none, as if empty). */
  stdin?: InputStream | undefined;
  /** The environment: `MODELLIX_*`, and `HOME` / `XDG_CONFIG_HOME` for the config and history files. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts running work (Ctrl-C). */
  signal: AbortSignal;
}

/** Values never to print: API keys in use. Every line of output passes through {@link Secrets.scrub}. */
export class Secrets {
  readonly #values = new Set<string>();

  /** Adds a value to hide (and its JSON-escaped spelling). */
  add(value: string | undefined): void {
    if (!value || value.length < 4) return;
    this.#values.add(value);
    this.#values.add(JSON.stringify(value).slice(1, -1));
  }

  /** `text` with every secret replaced by `[redacted]`. */
  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) out = out.split(value).join("[redacted]");
    return out;
  }
}

/** `io` with stdout and stderr passed through `secrets.scrub`, so no output can carry a key. */
export function guardedIO(io: CliIO, secrets: Secrets): CliIO {
  const guard = (write: (text: string) => unknown) => (text: string) => write(secrets.scrub(text));
  return {
    ...io,
    stdout: { write: guard((text) => io.stdout.write(text)) },
    stderr: {
      get isTTY() {
        return io.stderr.isTTY;
      },
      write: guard((text) => io.stderr.write(text)),
    },
  };
}

/**
 * How a command reports: results on stdout (plain lines, or one JSON document
 * with `--json`), progress, notes and errors on stderr. Server text is made
 * terminal-safe by the commands ({@link safeText}); JSON is escaped here.
 */
export class Output {
  readonly json: boolean;
  readonly secrets: Secrets;
  readonly #io: CliIO;

  constructor(io: CliIO, json: boolean, secrets: Secrets) {
    this.#io = io;
    this.json = json;
    this.secrets = secrets;
  }

  /** Prints the command's result: `lines` for people, `data` with `--json`. */
  result(lines: readonly string[], data: unknown): void {
    if (this.json) this.#io.stdout.write(`${safeJson(data)}\n`);
    else for (const line of lines) this.#io.stdout.write(`${line}\n`);
  }

  /** One result line now, for commands that report items as they finish (ignored with `--json`). */
  line(text: string): void {
    if (!this.json) this.#io.stdout.write(`${text}\n`);
  }

  /** A warning or remark on stderr (`modellix: ...`), also with `--json`. */
  note(text: string): void {
    this.#io.stderr.write(`modellix: ${text}\n`);
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
      this.#io.stdout.write(`${safeJson({ error: { ...details, message, exitCode } })}\n`);
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
    return `Task ${safeText(error.taskId)} did not finish within ${error.timeoutMs / 1000} s; it is still running.`;
  }
  if (error instanceof UserAbortError) {
    // Ctrl-C is no failure: say what keeps running and how to resume, not how the signal fired.
    const taskId = taskIdOf(error);
    return taskId ? `Interrupted. Task ${taskId} keeps running; resume it with: modellix task wait ${taskId}` : "Interrupted; no task was submitted.";
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").map((line) => safeText(line)).join("\n");
}

function taskIdOf(error: unknown): string | undefined {
  return error instanceof ModellixError && typeof error.taskId === "string" ? safeText(error.taskId, 200) : undefined;
}

function hintFor(error: unknown, exitCode: number, command: string): string | undefined {
  if (error instanceof UsageError) return `Run \`${["modellix", command, "--help"].filter(Boolean).join(" ")}\` for usage.`;
  const taskId = taskIdOf(error);
  if (error instanceof WaitTimeoutError && taskId) return `Keep waiting with: modellix task wait ${taskId}`;
  if (exitCode === exitCodes.auth && !(error instanceof MissingKeyError)) {
    return "Check MODELLIX_API_KEY or the saved profile; `modellix auth status` tests the key.";
  }
  if (error instanceof SubmitOutcomeUnknownError) {
    return "`modellix task history` records this submit; look for its task in the Modellix console before submitting again (`modellix batch --resubmit-unknown` resends a batch's).";
  }
  return undefined;
}
