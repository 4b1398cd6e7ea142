import { Modellix } from "../client.js";
import { ModellixError, ValidationError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { MissingKeyError, UsageError } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { type OptionValues, countOption, secondsOption, stringOption } from "./spec.js";

/** What {@link createClient} insists on. */
export interface ClientFlags {
  /** Refuse to run without `MODELLIX_API_KEY` (every command but `doctor`). */
  requireKey: boolean;
}

/**
 * A client for the CLI: key from `MODELLIX_API_KEY` (never from the command
 * line, where other users can read it), base URL from `--base-url` or
 * `MODELLIX_BASE_URL`, SDK log lines on stderr so stdout stays clean. A
 * configuration the client refuses (say a plain-http base URL) is a usage error.
 */
export function createClient(io: CliIO, values: OptionValues, flags: ClientFlags): Modellix {
  const apiKey = io.env.MODELLIX_API_KEY || undefined;
  if (flags.requireKey && !apiKey) throw new MissingKeyError();
  const pollMs = secondsOption(values, "poll-interval");
  try {
    return new Modellix({
      apiKey,
      baseURL: stringOption(values, "base-url") ?? (io.env.MODELLIX_BASE_URL || undefined),
      maxRetries: countOption(values, "max-retries"),
      logger: stderrLogger(io),
      ...(pollMs === undefined ? {} : { pollInterval: { initialMs: pollMs, maxMs: pollMs, factor: 1 } }),
    });
  } catch (error) {
    if (error instanceof ModellixError && !(error instanceof ValidationError)) throw new UsageError(error.message);
    throw error;
  }
}

/** Every SDK log line goes to stderr (console.info and console.debug would write to stdout). */
function stderrLogger(io: CliIO): Logger {
  const write = (message: string, fields?: Record<string, unknown>) => {
    io.stderr.write(`${message}${fields ? ` ${JSON.stringify(fields)}` : ""}\n`);
  };
  return { debug: write, info: write, warn: write, error: write };
}
