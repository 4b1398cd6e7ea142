import { exitCodeHelp } from "./exit-codes.js";
import { type CommandSpec, type OptionSpec, globalOptions } from "./spec.js";
import { formatTable } from "./table.js";

/** Commands as `--help` groups them. */
export interface CommandGroup {
  title: string;
  commands: readonly CommandSpec[];
}

const environment: ReadonlyArray<readonly [string, string]> = [
  ["MODELLIX_API_KEY", "API key; wins over a saved profile (`modellix auth login`). Never taken from the command line"],
  ["MODELLIX_PROFILE", "saved profile to use (--profile wins)"],
  ["MODELLIX_BASE_URL", "API origin, e.g. https://api.modellix.ai or http://127.0.0.1:8080 (--base-url wins)"],
  ["MODELLIX_LOG", "SDK log level on stderr: debug, info, warn (default), error, off"],
  ["XDG_CONFIG_HOME", "where the config file and task history live: $XDG_CONFIG_HOME/modellix, else ~/.config/modellix"],
];

/** `modellix --help`. */
export function mainHelp(version: string, groups: readonly CommandGroup[]): string {
  const lines = [`modellix ${version}: image, video and audio generation with the Modellix API`, "", "Usage: modellix <command> [arguments] [options]", ""];
  for (const group of groups) {
    lines.push(`${group.title}:`, ...formatTable(group.commands.map((command) => [`${command.name} ${command.args}`.trim(), command.summary]), "  "), "");
  }
  lines.push("Options (--json, --base-url and --help work with every command; --profile with those that use the key):", ...optionTable({ ...globalOptions, version: { type: "boolean", short: "v", description: "print the version" } }), "");
  lines.push("Environment:", ...formatTable(environment, "  "), "");
  lines.push(
    "Model inputs take a URL or a local file path (uploaded first); --size 1024x1024 is written in each model's own format.",
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
