import { configPath } from "../config-file.js";
import { resolveCredentials } from "../credentials.js";
import { exitCodes } from "../exit-codes.js";
import { type CommandSpec, noPositionals, profileOptions } from "../spec.js";
import { keySourceText } from "./auth.js";

/** `modellix config show | path`: the config file and the profile in effect, never a key. */
export const configCommands: CommandSpec[] = [
  {
    name: "config show",
    aliases: ["config"],
    args: "",
    summary: "Show the config file, its profiles and which key is used (never the key)",
    notes: ["Exits 2 when the config file exists but cannot be read."],
    options: profileOptions,
    async run(context) {
      noPositionals(context.positionals, "config show");
      const credentials = await resolveCredentials(context.io, context.values);
      const profiles = Object.keys(credentials.saved?.profiles ?? {});
      const lines = [
        `Config file: ${credentials.configPath}${credentials.saved ? "" : credentials.configError ? " (unreadable)" : " (none yet)"}`,
        `Saved profiles: ${profiles.length ? profiles.join(", ") : "none"}${credentials.saved ? ` (current: ${credentials.saved.currentProfile})` : ""}`,
        `Selected profile: ${credentials.profile} (${credentials.profileSource})`,
        `Key in use: ${keySourceText(credentials)}`,
        ...(credentials.problem ? [`Problem: ${credentials.problem}`] : []),
      ];
      context.output.result(lines, {
        configPath: credentials.configPath,
        profiles,
        currentProfile: credentials.saved?.currentProfile,
        profile: credentials.profile,
        profileSource: credentials.profileSource,
        keySource: credentials.source,
        problem: credentials.problem,
      });
      return credentials.configError ? exitCodes.usage : 0;
    },
  },
  {
    name: "config path",
    args: "",
    summary: "Print the config file's path",
    options: {},
    async run(context) {
      noPositionals(context.positionals, "config path");
      const path = configPath(context.io.env);
      context.output.result([path], { configPath: path });
      return 0;
    },
  },
];
