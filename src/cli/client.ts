import { Modellix } from "../client.js";
import { defaultBaseURL } from "../core/base-url.js";
import { ModellixError, ValidationError } from "../core/errors.js";
import type { LogLevel, Logger } from "../core/logger.js";
import { type Credentials, resolveCredentials } from "./credentials.js";
import { MissingKeyError, UsageError } from "./exit-codes.js";
import { safeText } from "./safe-text.js";
import type { CommandContext } from "./spec.js";
import { countOption, secondsOption, stringOption } from "./spec.js";

/** A client for one command, and where its key came from. */
export interface Session {
  client: Modellix;
  credentials: Credentials;
}

/**
 * A client for the CLI. The key comes from `MODELLIX_API_KEY`, else the
 * selected saved profile; never from the command line, where other users of
 * the machine can read it. The origin comes from `--base-url`, else
 * `MODELLIX_BASE_URL` (as for the vendor's CLI), else the official API.
 * Without `requireKey`, a missing key is left for the command to report.
 */
export async function openSession(context: CommandContext, options: { requireKey: boolean }): Promise<Session> {
  const credentials = await resolveCredentials(context.io, context.values);
  context.output.secrets.add(credentials.apiKey);
  if (options.requireKey && !credentials.apiKey) throw new MissingKeyError(credentials.problem);
  return { client: createClient(context, credentials.apiKey), credentials };
}

/** The API origin the command talks to. */
export function baseURLOf({ values, io }: Pick<CommandContext, "values" | "io">): string {
  return stringOption(values, "base-url") ?? (io.env.MODELLIX_BASE_URL?.trim() || defaultBaseURL);
}

/**
 * A client with `apiKey` (none: only for a custom origin, such as a proxy that
 * adds the key). Everything comes from the command's environment, not the
 * process's; SDK log lines go to stderr. A configuration the client refuses
 * (a plain-http origin, say) is a usage error.
 */
export function createClient(context: Pick<CommandContext, "values" | "io" | "output">, apiKey: string | undefined): Modellix {
  const { values, io } = context;
  context.output.secrets.add(apiKey);
  const pollMs = secondsOption(values, "poll-interval");
  const level = io.env.MODELLIX_LOG;
  try {
    return new Modellix({
      apiKey: apiKey ?? "",
      baseURL: baseURLOf(context),
      maxRetries: countOption(values, "max-retries"),
      logger: stderrLogger(context),
      logLevel: level && ["debug", "info", "warn", "error", "off"].includes(level) ? (level as LogLevel) : "warn",
      ...(pollMs === undefined ? {} : { pollInterval: { initialMs: pollMs, maxMs: pollMs, factor: 1 } }),
    });
  } catch (error) {
    if (error instanceof ModellixError && !(error instanceof ValidationError)) {
      if (!apiKey && /MODELLIX_API_KEY/.test(error.message)) throw new MissingKeyError();
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** Every SDK log line goes to stderr, made terminal-safe (console.info and console.debug would write to stdout). */
function stderrLogger({ io }: Pick<CommandContext, "io">): Logger {
  const write = (message: string, fields?: Record<string, unknown>) => {
    io.stderr.write(`${safeText(`${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`, 4000)}\n`);
  };
  return { debug: write, info: write, warn: write, error: write };
}
