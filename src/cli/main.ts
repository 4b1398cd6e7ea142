import packageJson from "../../package.json" with { type: "json" };
import { doctorCommand } from "./commands/doctor.js";
import { generationCommands } from "./commands/generate.js";
import { modelsCommand } from "./commands/models.js";
import { taskCommands } from "./commands/task.js";
import { UsageError, exitCodes } from "./exit-codes.js";
import { type CommandGroup, commandHelp, mainHelp } from "./help.js";
import { type CliIO, Output } from "./io.js";
import { type CommandSpec, parseCommandArgs } from "./spec.js";

const groups: readonly CommandGroup[] = [
  { title: "Generate (submit a task, wait, print or download the result)", commands: generationCommands },
  { title: "Tasks", commands: taskCommands },
  { title: "Account and setup", commands: [modelsCommand, doctorCommand] },
];
const commands = groups.flatMap((group) => group.commands);

/** The command `argv` names (`t2i`, or `task` plus its subcommand) and the arguments after it. */
function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const command = commands.find((candidate) => candidate.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  const [first = ""] = argv;
  const subcommands = commands.filter((candidate) => candidate.name.startsWith(`${first} `)).map((candidate) => candidate.name);
  if (subcommands.length) throw new UsageError(`\`modellix ${first}\` needs one of: ${subcommands.join(", ")}`);
  throw new UsageError(`unknown command ${JSON.stringify(first)}`);
}

/**
 * Runs the `modellix` command line with `argv` (the arguments after the
 * program name) and returns the exit code. All output goes through `io`.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...after] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp(packageJson.version, groups));
    return exitCodes.usage;
  }
  if (first === "-h" || first === "--help" || (first === "help" && after.length === 0)) return print(io, mainHelp(packageJson.version, groups));
  if (first === "-v" || first === "--version") return print(io, `${packageJson.version}\n`);
  const output = new Output(io, argv.includes("--json"));
  let name = "";
  try {
    if (first === "help") return print(io, commandHelp(findCommand(after).command));
    const { command, rest } = findCommand(argv);
    name = command.name;
    const { positionals, values } = parseCommandArgs(command, rest);
    if (values.help === true) return print(io, commandHelp(command));
    return await command.run({ positionals, values, io, output });
  } catch (error) {
    return output.fail(error, name);
  }
}

function print(io: CliIO, text: string): number {
  io.stdout.write(text);
  return exitCodes.ok;
}
