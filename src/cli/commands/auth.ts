import { createClient } from "../client.js";
import { type SavedConfig, isKeyShaped, writeConfig } from "../config-file.js";
import { type Credentials, resolveCredentials } from "../credentials.js";
import { UsageError, exitCodes } from "../exit-codes.js";
import { readStdin } from "../input.js";
import { promptSecret } from "../prompt.js";
import type { CommandContext, CommandSpec } from "../spec.js";
import { noPositionals, profileOptions } from "../spec.js";

/** Where the key of `credentials` comes from, in words. */
export function keySourceText(credentials: Credentials): string {
  if (credentials.source === "environment") return "MODELLIX_API_KEY (it wins over saved profiles)";
  if (credentials.source === "profile") return `saved profile ${JSON.stringify(credentials.profile)} in ${credentials.configPath}`;
  return "none";
}

/** The saved config, refusing to overwrite one that cannot be read. */
function savedConfig(credentials: Credentials): SavedConfig {
  if (credentials.configError) throw new UsageError(credentials.configError);
  const saved = credentials.saved;
  return { currentProfile: saved?.currentProfile ?? credentials.profile, profiles: { ...saved?.profiles } };
}

/** The key to save: piped on standard input, else typed at a prompt without echo. Never an argument. */
async function readKey(context: CommandContext, profile: string): Promise<string> {
  const { io } = context;
  const text = io.stdin?.isTTY ? await promptSecret(io, `API key for profile ${profile}: `) : await readStdin(io, "auth login", 64 * 1024);
  const key = text.trim();
  context.output.secrets.add(key);
  if (!key) throw new UsageError("no API key given: pipe it (`modellix auth login < key.txt`) or type it at the prompt");
  if (!isKeyShaped(key)) throw new UsageError("the API key contains spaces, control or non-ASCII characters; check how it was copied");
  return key;
}

/** `modellix auth login | logout | status`: keys saved per profile in the config file (mode 0600). */
export const authCommands: CommandSpec[] = [
  {
    name: "auth login",
    aliases: ["init"],
    args: "",
    summary: "Check an API key and save it for a profile (file mode 0600)",
    notes: [
      "Reads the key from standard input (`modellix auth login < key.txt`) or asks for it without echo on a terminal.",
      "The key is checked (GET /apikey/validate) before it is saved; the profile becomes the current one.",
      "MODELLIX_API_KEY, when set, still wins over any saved key.",
    ],
    options: profileOptions,
    async run(context) {
      noPositionals(context.positionals, "auth login");
      const credentials = await resolveCredentials(context.io, context.values);
      const profile = credentials.profile;
      const config = savedConfig(credentials);
      const key = await readKey(context, profile);
      const valid = await createClient(context, key).account.validateKey({ signal: context.io.signal, maxRetries: 0 });
      if (!valid) {
        context.output.note("the API rejects this key (GET /apikey/validate); nothing was saved");
        context.output.result([], { profile, saved: false, valid: false });
        return exitCodes.auth;
      }
      config.profiles[profile] = { apiKey: key };
      config.currentProfile = profile;
      await writeConfig(credentials.configPath, config);
      if (credentials.source === "environment") context.output.note("MODELLIX_API_KEY is set in this shell and wins over the saved key");
      context.output.result([`Saved the key for profile ${profile} in ${credentials.configPath}`], {
        profile,
        configPath: credentials.configPath,
        saved: true,
        valid: true,
      });
      return 0;
    },
  },
  {
    name: "auth logout",
    args: "",
    summary: "Remove a profile's saved key",
    notes: ["Removes the selected profile (--profile, else the current one). MODELLIX_API_KEY is not affected."],
    options: profileOptions,
    async run(context) {
      noPositionals(context.positionals, "auth logout");
      const credentials = await resolveCredentials(context.io, context.values);
      const { profile } = credentials;
      const config = savedConfig(credentials);
      const removed = Object.hasOwn(config.profiles, profile);
      if (removed) delete config.profiles[profile];
      const remaining = Object.keys(config.profiles);
      if (removed) {
        if (config.currentProfile === profile) config.currentProfile = remaining[0] ?? profile;
        await writeConfig(credentials.configPath, config);
      }
      const lines = [removed ? `Removed the saved key of profile ${profile}` : `No saved profile named ${profile}`];
      if (credentials.source === "environment") lines.push("MODELLIX_API_KEY is still set in this shell");
      context.output.result(lines, { profile, removed, profiles: remaining, currentProfile: remaining.length ? config.currentProfile : undefined });
      return 0;
    },
  },
  {
    name: "auth status",
    args: "",
    summary: "Show which key is used and check it (valid, balance), without printing it",
    notes: ["Exits 0 when a key is found and the API accepts it, 3 otherwise."],
    options: profileOptions,
    async run(context) {
      noPositionals(context.positionals, "auth status");
      const credentials = await resolveCredentials(context.io, context.values);
      const lines = [`Profile: ${credentials.profile} (${credentials.profileSource})`, `Key: ${keySourceText(credentials)}`];
      const data: Record<string, unknown> = {
        profile: credentials.profile,
        profileSource: credentials.profileSource,
        keySource: credentials.source,
        configPath: credentials.configPath,
      };
      if (!credentials.apiKey) {
        if (credentials.problem) lines.push(`Problem: ${credentials.problem}`);
        context.output.result(lines, { ...data, valid: false, problem: credentials.problem });
        return exitCodes.auth;
      }
      const client = createClient(context, credentials.apiKey);
      const once = { signal: context.io.signal, maxRetries: 0 };
      const valid = await client.account.validateKey(once);
      lines.push(`Valid: ${valid ? "yes" : "no, the API rejects it"}`);
      if (valid) {
        const { amount } = await client.account.balance(once);
        lines.push(`Balance: $${amount.toFixed(4)}`);
        data.balance = amount;
      }
      context.output.result(lines, { ...data, valid });
      return valid ? 0 : exitCodes.auth;
    },
  },
];
