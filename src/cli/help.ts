import { exitCodeHelp } from "./exit-codes.js";
import { type CommandSpec, type OptionSpec, globalOptions } from "./spec.js";
import { formatTable } from "./table.js";

/** Commands as `--help` groups them. */
export interface CommandGroup {
  title: string;
  commands: readonly CommandSpec[];
}

const environment: ReadonlyArray<readonly [string, string]> = [
  ["MODELLIX_API_KEY", "API key (needed by every command but doctor; never taken from the command line)"],
  ["MODELLIX_BASE_URL", "API base URL (--base-url wins)"],
  ["MODELLIX_LOG", "SDK log level on stderr: debug, info, warn (default), error, off"],
];

/** `modellix --help`. */
export function mainHelp(version: string, groups: readonly CommandGroup[]): string {
  const lines = [`modellix ${version}: image and video generation with the Modellix API`, "", "Usage: modellix <command> [arguments] [options]", ""];
  for (const group of groups) {
    lines.push(`${group.title}:`, ...formatTable(group.commands.map((command) => [`${command.name} ${command.args}`.trim(), command.summary]), "  "), "");
  }
  lines.push("Options (--json, --base-url and --help work with every command):", ...optionTable({ ...globalOptions, version: { type: "boolean", short: "v", description: "print the version" } }), "");
  lines.push("Environment:", ...formatTable(environment, "  "), "");
  lines.push(
    "Results go to stdout: one URL or file path a line, or one JSON document with --json.",
    "Progress and errors go to stderr: a spinner on a terminal, plain lines when piped.",
    "",
    "Exit codes:",
    ...formatTable(exitCodeHelp.map(([code, meaning]) => [String(code), meaning]), "  "),
    "",
    "Run `modellix <command> --help` for a command's options.",
  );
  return `${lines.join("\n")}\n`;
}

/** `modellix <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const usage = ["Usage: modellix", command.name, command.args, "[options]"].filter(Boolean).join(" ");
  const lines = [usage, "", `${command.summary}.`];
  if (command.notes?.length) lines.push(...command.notes);
  lines.push("", "Options:", ...optionTable({ ...command.options, ...globalOptions }));
  return `${lines.join("\n")}\n`;
}

function optionTable(options: Record<string, OptionSpec>): string[] {
  return formatTable(
    Object.entries(options).map(([name, option]) => [
      `${option.short ? `-${option.short}, ` : "    "}--${name}${option.value ? ` ${option.value}` : ""}`,
      option.description,
    ]),
    "  ",
  );
}
