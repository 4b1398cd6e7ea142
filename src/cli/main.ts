import packageJson from "../../package.json" with { type: "json" };
import { parseCommandArgs } from "./args.js";
import { authCommands } from "./commands/auth.js";
import { batchCommand } from "./commands/batch.js";
import { configCommands } from "./commands/config.js";
import { doctorCommand } from "./commands/doctor.js";
import { fakeServerCommand } from "./commands/fake-server.js";
import { filesCommands } from "./commands/files.js";
import { generationCommands } from "./commands/generate.js";
import { modelsDescribeCommand, modelsListCommand } from "./commands/models.js";
import { runCommand } from "./commands/run.js";
import { taskCommands } from "./commands/task.js";
import { UsageError, exitCodes } from "./exit-codes.js";
import { type CommandGroup, commandHelp, mainHelp } from "./help.js";
import { type CliIO, Output, Secrets, guardedIO } from "./io.js";
import { safeText } from "./safe-text.js";
import type { CommandSpec } from "./spec.js";
import { didYouMean } from "../core/suggest.js";

const groups: readonly CommandGroup[] = [
  { title: "Generate (submit a task, wait, print or download the result)", commands: [...generationCommands, runCommand, batchCommand] },
  { title: "Tasks", commands: taskCommands },
  { title: "Models and files", commands: [modelsListCommand, modelsDescribeCommand, ...filesCommands] },
  { title: "Account and setup", commands: [...authCommands, ...configCommands, doctorCommand, fakeServerCommand] },
];
const commands = groups.flatMap((group) => group.commands);
const names = new Map(commands.flatMap((command) => [command.name, ...(command.aliases ?? [])].map((name) => [name, command] as const)));

/** The command `argv` names (`t2i`, or `task` plus its subcommand, or an alias) and the arguments after it. */
function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } {
  for (const words of [2, 1]) {
    const command = names.get(argv.slice(0, words).join(" "));
    if (command) return { command, rest: argv.slice(words) };
  }
  const [first = "", second] = argv;
  const shown = JSON.stringify(safeText(first, 80));
  const subcommands = commands.filter((candidate) => candidate.name.startsWith(`${first} `)).map((candidate) => candidate.name);
  if (subcommands.length > 0) {
    const typed = second === undefined || second.startsWith("-") ? "" : `${first} ${second}`;
    const hint = typed ? didYouMean(typed, subcommands, (name) => `\`modellix ${name}\``) : "";
    const what = typed ? `unknown command \`modellix ${safeText(typed, 80)}\`${hint}` : `\`modellix ${safeText(first, 80)}\` needs a subcommand`;
    throw new UsageError(`${what}; the ${safeText(first, 80)} commands are: ${subcommands.join(", ")}`);
  }
  const words = [...new Set(commands.map((command) => command.name.split(" ")[0] ?? ""))];
  throw new UsageError(`unknown command ${shown}${didYouMean(first, words)}`);
}

/**
 * Runs the `modellix` command line with `argv` (the arguments after the
 * program name) and returns the exit code. Everything goes through `io`: the
 * streams, the environment (`MODELLIX_*`, `HOME`, `XDG_CONFIG_HOME`) and the
 * Ctrl-C signal. No output ever carries an API key in use.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const secrets = new Secrets();
  secrets.add(io.env.MODELLIX_API_KEY?.trim());
  const safeIO = guardedIO(io, secrets);
  const [first, ...after] = argv;
  if (first === undefined) {
    safeIO.stderr.write(mainHelp(packageJson.version, groups));
    return exitCodes.usage;
  }
  if (first === "-h" || first === "--help" || (first === "help" && after.length === 0)) return print(safeIO, mainHelp(packageJson.version, groups));
  if (first === "-v" || first === "--version") return print(safeIO, `${packageJson.version}\n`);
  const output = new Output(safeIO, argv.includes("--json"), secrets);
  let name = "";
  try {
    if (first === "help") return print(safeIO, commandHelp(findCommand(after).command));
    const { command, rest } = findCommand(argv);
    name = command.name;
    const { positionals, values } = parseCommandArgs(command, rest);
    if (values.help === true) return print(safeIO, commandHelp(command));
    return await command.run({ positionals, values, io: safeIO, output });
  } catch (error) {
    return output.fail(error, name);
  }
}

function print(io: CliIO, text: string): number {
  io.stdout.write(text);
  return exitCodes.ok;
}
