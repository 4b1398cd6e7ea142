import { randomUUID } from "node:crypto";
import { chmod, lstat, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { UsageError } from "./exit-codes.js";

/**
 * The saved API keys: one per profile, and the profile used when none is
 * named. The same file and format as the vendor's `modellix-cli`
 * (`~/.config/modellix/config.json`), so a key saved by either works in both.
 */
export interface SavedConfig {
  currentProfile: string;
  profiles: Record<string, { apiKey: string }>;
}

/** The profile used when none is named anywhere. */
export const defaultProfile = "default";

const maxConfigBytes = 1024 * 1024;
const maxProfiles = 100;

type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/modellix`, else `~/.config/modellix`. */
export function configDir(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return join(xdg, "modellix");
  const home = env.HOME?.trim() || homedir();
  return join(home, ".config", "modellix");
}

/** The config file with the saved keys. */
export function configPath(env: Env): string {
  return join(configDir(env), "config.json");
}

/** A profile name: letters, digits, `_`, `.` and `-`, up to 64 characters. */
export function checkProfileName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\w.-]{1,64}$/.test(trimmed) || ["__proto__", "constructor", "prototype"].includes(trimmed.toLowerCase())) {
    throw new UsageError(`invalid profile name ${JSON.stringify(name.slice(0, 80))}: use up to 64 letters, digits, "_", "." or "-"`);
  }
  return trimmed;
}

/** True for a string that can be an API key: printable ASCII, no spaces. */
export function isKeyShaped(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 16_384 && /^[\x21-\x7e]+$/.test(value);
}

/**
 * Reads the config file; `undefined` when there is none. A file that is not a
 * regular file, too large or malformed is a usage error naming the path (never
 * its content). Loosened permissions are put back to 0600.
 */
export async function readConfig(path: string): Promise<SavedConfig | undefined> {
  let text: string;
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) throw new UsageError(`the config file ${path} must be a regular file, not a link or a directory`);
    if (stats.size > maxConfigBytes) throw new UsageError(`the config file ${path} is larger than ${maxConfigBytes} bytes`);
    if (process.platform !== "win32" && (stats.mode & 0o077) !== 0) await chmod(path, 0o600);
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const config = parseConfig(text);
  if (!config) throw new UsageError(`the config file ${path} is not valid; fix it, or delete it and run \`modellix auth login\` again`);
  return config;
}

function parseConfig(text: string): SavedConfig | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const profiles: Record<string, { apiKey: string }> = Object.create(null);
  if (isObject(parsed.profiles)) {
    const entries = Object.entries(parsed.profiles);
    if (entries.length === 0 || entries.length > maxProfiles) return undefined;
    for (const [name, profile] of entries) {
      if (!/^[\w.-]{1,64}$/.test(name) || !isObject(profile) || !isKeyShaped(profile.apiKey)) return undefined;
      profiles[name] = { apiKey: profile.apiKey };
    }
    const current = typeof parsed.currentProfile === "string" ? parsed.currentProfile : defaultProfile;
    return Object.hasOwn(profiles, current) ? { currentProfile: current, profiles } : undefined;
  }
  // The vendor CLI's first format: `{ "apiKey": "..." }`.
  if (!isKeyShaped(parsed.apiKey)) return undefined;
  profiles[defaultProfile] = { apiKey: parsed.apiKey };
  return { currentProfile: defaultProfile, profiles };
}

/**
 * Writes the config file atomically (a new file renamed over the old one),
 * readable by the user only: the directory 0700, the file 0600. With no
 * profile left, removes the file.
 */
export async function writeConfig(path: string, config: SavedConfig): Promise<void> {
  const names = Object.keys(config.profiles);
  if (names.length === 0) {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    return;
  }
  if (names.length > maxProfiles) throw new UsageError(`at most ${maxProfiles} profiles can be saved`);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.config.${process.pid}.${randomUUID()}.tmp`);
  const profiles = Object.fromEntries(names.map((name) => [name, { apiKey: config.profiles[name]?.apiKey }]));
  const file = await open(temporary, "wx", 0o600);
  try {
    await file.writeFile(`${JSON.stringify({ currentProfile: config.currentProfile, profiles }, null, 2)}\n`, "utf8");
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  if (process.platform !== "win32") await chmod(path, 0o600);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
