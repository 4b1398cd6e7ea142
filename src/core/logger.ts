/** How much the SDK logs. `"off"` silences it. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Anything with console-like methods: `console`, pino, winston... */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ranks: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** A logger that drops messages under `level` and prefixes the rest with `modellix:`. */
export interface LevelledLogger {
  readonly level: LogLevel;
  log(level: Exclude<LogLevel, "off">, message: string, fields?: Record<string, unknown>): void;
  enabled(level: Exclude<LogLevel, "off">): boolean;
}

/**
 * Reads `level` (or `MODELLIX_LOG`, default `warn`) and wraps `logger` (default
 * `console`). A structured logger gets each entry's fields as an object;
 * `console`, which would print that object over many lines, gets one line,
 * the fields written after the message as JSON.
 */
export function createLogger(logger: Logger | undefined, level: LogLevel | undefined, envLevel: string | undefined): LevelledLogger {
  const chosen = level ?? (isLevel(envLevel) ? envLevel : "warn");
  const sink = logger ?? console;
  const oneLine = sink === console;
  return {
    level: chosen,
    enabled: (at) => ranks[at] >= ranks[chosen],
    log(at, message, fields) {
      if (ranks[at] < ranks[chosen]) return;
      if (!fields) sink[at](`modellix: ${message}`);
      else if (oneLine) sink[at](`modellix: ${message} ${jsonLine(fields)}`);
      else sink[at](`modellix: ${message}`, fields);
    },
  };
}

/** The fields of a log entry as one line of JSON (what cannot be written so, as its string). */
function jsonLine(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return String(fields);
  }
}

function isLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && value in ranks;
}
