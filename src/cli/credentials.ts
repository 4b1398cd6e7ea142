import { type SavedConfig, checkProfileName, configPath, defaultProfile, readConfig } from "./config-file.js";
import type { CliIO } from "./io.js";
import { type OptionValues, stringOption } from "./spec.js";

/** Where the key in use comes from. */
export type KeySource = "environment" | "profile" | "none";

/** The key the CLI uses, where it comes from, and the profile that applies. Never printed. */
export interface Credentials {
  /** The API key, if any (never printed: every output hides it). */
  apiKey: string | undefined;
  source: KeySource;
  /** The profile in effect: `--profile`, else `MODELLIX_PROFILE`, else the config's current one, else `default`. */
  profile: string;
  profileSource: "flag" | "environment" | "config" | "default";
  /** The config file's path. */
  configPath: string;
  /** The saved profiles, when the file exists and is valid. */
  saved: SavedConfig | undefined;
  /** Why the config file could not be read, if it could not. */
  configError: string | undefined;
  /** Why no saved key could be used, when that matters (an unreadable file, an unknown profile). */
  problem: string | undefined;
}

/**
 * Finds the API key: `MODELLIX_API_KEY` wins; else the selected profile's key
 * from the config file. A broken config file does not matter while the
 * environment provides the key; otherwise its error is kept as `problem`.
 */
export async function resolveCredentials(io: CliIO, values: OptionValues): Promise<Credentials> {
  const path = configPath(io.env);
  const flagProfile = stringOption(values, "profile");
  const envProfile = io.env.MODELLIX_PROFILE?.trim() || undefined;
  const envKey = io.env.MODELLIX_API_KEY?.trim() || undefined;
  let saved: SavedConfig | undefined;
  let configError: string | undefined;
  try {
    saved = await readConfig(path);
  } catch (error) {
    configError = error instanceof Error ? error.message : String(error);
  }
  const [profile, profileSource] =
    flagProfile !== undefined
      ? [checkProfileName(flagProfile), "flag" as const]
      : envProfile !== undefined
        ? [checkProfileName(envProfile), "environment" as const]
        : saved
          ? [saved.currentProfile, "config" as const]
          : [defaultProfile, "default" as const];
  const base = { profile, profileSource, configPath: path, saved, configError };
  if (envKey) return { ...base, apiKey: envKey, source: "environment", problem: undefined };
  const stored = saved && Object.hasOwn(saved.profiles, profile) ? saved.profiles[profile]?.apiKey : undefined;
  if (stored) return { ...base, apiKey: stored, source: "profile", problem: undefined };
  const unknownProfile = saved && profileSource !== "default" ? `no saved profile named ${JSON.stringify(profile)} in ${path}` : undefined;
  return { ...base, apiKey: undefined, source: "none", problem: configError ?? unknownProfile };
}
