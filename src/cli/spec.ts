import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./exit-codes.js";
import type { CliIO, Output } from "./io.js";

/** One command-line option: its parseArgs shape plus what `--help` says about it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in help, e.g. `<url>`. */
  value?: string;
  description: string;
}

/** Parsed option values, by long name. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command's `run` gets: its positionals, its option values, the process's streams and the output. */
export interface CommandContext {
  positionals: string[];
  values: OptionValues;
  io: CliIO;
  output: Output;
}

/** One command (or subcommand): usage, help, options and what it does. Returns the exit code. */
export interface CommandSpec {
  /** As typed: `t2i`, `task wait`. */
  name: string;
  /** Positional arguments in usage, e.g. `<prompt>`. */
  args: string;
  summary: string;
  /** More help lines after the options. */
  notes?: readonly string[];
  options: Record<string, OptionSpec>;
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const globalOptions: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print one JSON document on stdout (no progress), for scripts" },
  "base-url": { type: "string", value: "<url>", description: "API base URL (default MODELLIX_BASE_URL, else https://api.modellix.ai/api/v1)" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Options of the commands that call the API through the client. */
export const clientOptions: Record<string, OptionSpec> = {
  "max-retries": { type: "string", value: "<n>", description: "retries of a failed request (default 3; a paid submit is never resent when its outcome is unknown)" },
};

/** Parses `args` against a command's options plus the global ones; unknown options are usage errors. */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): { positionals: string[]; values: OptionValues } {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, option] of Object.entries({ ...spec.options, ...globalOptions })) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { positionals: parsed.positionals, values: parsed.values };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A string option's value, if given. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable string option's values. */
export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** True when a boolean flag was given. */
export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** A positive number of seconds, as ms; a usage error otherwise. */
export function secondsOption(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${name} must be a positive number of seconds (got ${JSON.stringify(text)})`);
  }
  return Math.round(seconds * 1000);
}

/** A whole number of 0 or more; a usage error otherwise. */
export function countOption(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text)) throw new UsageError(`--${name} must be a whole number from 0 to 999 (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** The one positional argument a command needs, e.g. a task id. */
export function onePositional(positionals: readonly string[], what: string, required: boolean): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`expected one ${what}, got ${positionals.length} arguments (quote a ${what} that contains spaces)`);
  }
  const value = positionals[0];
  if (required && value === undefined) throw new UsageError(`missing ${what}`);
  return value;
}
