import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./exit-codes.js";
import { safeText } from "./safe-text.js";
import { type CommandSpec, type OptionSpec, type OptionValues, globalOptions } from "./spec.js";
import { didYouMean } from "../core/suggest.js";

/**
 * Parses `args` against a command's options plus the global ones. Mistakes are
 * usage errors in our own words: an unknown option names the closest known one
 * (`--sze` → "did you mean --size?"), a value-taking option without a value and
 * a flag given a value say so. A string option takes the next argument as its
 * value even when it starts with `-` (`--seed -1`); `--` ends the options.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): { positionals: string[]; values: OptionValues } {
  const specs: Record<string, OptionSpec> = { ...spec.options, ...globalOptions };
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, option] of Object.entries(specs)) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  const { values, positionals, tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  const longNames = Object.keys(specs).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    const shown = safeText(token.rawName, 80);
    if (!option) {
      const hint = token.rawName.startsWith("--") ? didYouMean(token.rawName, longNames, (name) => name) : "";
      throw new UsageError(`unknown option ${shown}${hint}`);
    }
    if (option.type === "string" && token.value === undefined) {
      throw new UsageError(`option ${shown} needs a value${option.value ? `: ${shown} ${option.value}` : ""}`);
    }
    if (option.type === "boolean" && token.inlineValue) throw new UsageError(`option ${shown} takes no value`);
    if (!option.multiple && tokens.filter((other) => other.kind === "option" && other.name === token.name).length > 1) {
      throw new UsageError(`option --${token.name} is given more than once`);
    }
  }
  return { positionals, values: values as OptionValues };
}
