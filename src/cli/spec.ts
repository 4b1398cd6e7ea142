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
  /** Other spellings that run it, not listed in help: `models` for `models list`, the vendor CLI's `model run`. */
  aliases?: readonly string[];
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
  "base-url": { type: "string", value: "<url>", description: "API origin (default MODELLIX_BASE_URL, else https://api.modellix.ai)" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** The option of the commands that use a saved API key. */
export const profileOptions: Record<string, OptionSpec> = {
  profile: { type: "string", value: "<name>", description: "saved key profile (default MODELLIX_PROFILE, else the current one); MODELLIX_API_KEY wins" },
};

/** Options of the commands that call the API through the client. */
export const clientOptions: Record<string, OptionSpec> = {
  ...profileOptions,
  "max-retries": { type: "string", value: "<n>", description: "retries of a failed request (default 3; a paid submit is never resent when its outcome is unknown)" },
};

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
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 2_000_000) {
    throw new UsageError(`--${name} must be a positive number of seconds (got ${JSON.stringify(text)})`);
  }
  return Math.round(seconds * 1000);
}

/** A whole number from `min` to 999; a usage error otherwise. */
export function countOption(values: OptionValues, name: string, min = 0): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be a whole number from ${min} to 999 (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** The one positional argument a command needs, e.g. a task id. */
export function onePositional(positionals: readonly string[], what: string, required: true): string;
export function onePositional(positionals: readonly string[], what: string, required: boolean): string | undefined;
export function onePositional(positionals: readonly string[], what: string, required: boolean): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`expected one ${what}, got ${positionals.length} arguments (quote a ${what} that contains spaces)`);
  }
  const value = positionals[0];
  if (required && (value === undefined || value.trim() === "")) throw new UsageError(`missing ${what}`);
  return value;
}

/** Refuses positional arguments for a command that takes none. */
export function noPositionals(positionals: readonly string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got ${JSON.stringify(positionals[0]?.slice(0, 80))})`);
}
