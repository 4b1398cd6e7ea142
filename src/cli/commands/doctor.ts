import type { Modellix } from "../../client.js";
import type { RateLimitInfo } from "../../core/errors.js";
import { createClient } from "../client.js";
import { resolveCredentials } from "../credentials.js";
import { exitCodeOf, exitCodes } from "../exit-codes.js";
import { safeText } from "../safe-text.js";
import { type CommandContext, type CommandSpec, noPositionals, profileOptions } from "../spec.js";
import { keySourceText } from "./auth.js";

/** One line of the doctor's report; a failed check carries the exit code it stands for. */
interface Check {
  name: string;
  status: "ok" | "fail" | "skip";
  detail: string;
  exitCode?: number;
}

const minimumNode = 20;

function messageOf(error: unknown): string {
  return safeText(error instanceof Error ? error.message : String(error));
}

/** Runs the checks in order; one that fails skips those that depend on it. */
async function diagnose(context: CommandContext): Promise<Check[]> {
  const checks: Check[] = [];
  const ok = (name: string, detail: string) => checks.push({ name, status: "ok", detail });
  const fail = (name: string, detail: string, exitCode: number) => checks.push({ name, status: "fail", detail, exitCode });
  const skip = (name: string, detail: string) => checks.push({ name, status: "skip", detail });

  const node = process.versions.node;
  if (Number(node.split(".")[0]) >= minimumNode) ok("node", `Node.js ${node}`);
  else fail("node", `Node.js ${node}: version ${minimumNode} or newer is needed`, exitCodes.taskFailed);

  const credentials = await resolveCredentials(context.io, context.values);
  context.output.secrets.add(credentials.apiKey);
  if (credentials.apiKey) ok("key", `API key found: ${keySourceText(credentials)}`);
  else {
    fail("key", `no API key: set MODELLIX_API_KEY or run \`modellix auth login\`${credentials.problem ? ` (${credentials.problem})` : ""}`, exitCodes.auth);
    for (const name of ["connection", "key valid", "balance"]) skip(name, `${name} skipped: needs an API key`);
    return checks;
  }
  const client = createClient(context, credentials.apiKey);
  const once = { maxRetries: 0, signal: context.io.signal };
  const startedAt = Date.now();
  let valid: boolean;
  try {
    valid = await client.account.validateKey(once);
    ok("connection", `API reachable at ${client.baseURL} (${Date.now() - startedAt} ms)`);
  } catch (error) {
    fail("connection", `API at ${client.baseURL} not usable: ${messageOf(error)}`, exitCodeOf(error));
    skip("key valid", "key check skipped: the API cannot be reached");
    skip("balance", "balance skipped: the API cannot be reached");
    return checks;
  }
  if (valid) ok("key valid", "the API accepts the key");
  else fail("key valid", "the API rejects the key (is_valid: false, or 401)", exitCodes.auth);

  if (valid) {
    try {
      const { amount } = await client.account.balance(once);
      if (amount > 0) ok("balance", `balance: ${amount}`);
      else fail("balance", `balance: ${amount}; submits fail with 402 until the team tops up`, exitCodes.auth);
    } catch (error) {
      fail("balance", `balance could not be read: ${messageOf(error)}`, exitCodeOf(error));
    }
  } else skip("balance", "balance skipped: needs a valid key");
  ok("rate limit", describeRateLimit(client));
  return checks;
}

function describeRateLimit(client: Modellix): string {
  const info: RateLimitInfo | undefined = client.rateLimit;
  if (info?.limit === undefined) return "rate limit: the API sent no X-RateLimit headers";
  const reset = info.resetAt ? `; the window resets at ${info.resetAt.toISOString()}` : "";
  return `rate limit: ${info.remaining ?? "?"} of ${info.limit} requests left this minute${reset}`;
}

const marks: Record<Check["status"], string> = { ok: "✓", fail: "✗", skip: "-" };

/** `modellix doctor`: Node version, key, connectivity, key validity, balance and rate-limit headers. Never prints the key. */
export const doctorCommand: CommandSpec = {
  name: "doctor",
  args: "",
  summary: "Check the setup: Node.js, API key, connectivity, balance, rate limits",
  notes: [
    "Sends at most two GET requests (key check, balance), each once, and never prints the key.",
    "Exits 0 when every check passes, else with the code of the first failed check (3 key or balance, 4 network).",
  ],
  options: profileOptions,
  async run(context) {
    noPositionals(context.positionals, "doctor");
    const checks = await diagnose(context);
    const exitCode = checks.find((check) => check.status === "fail")?.exitCode ?? exitCodes.ok;
    context.output.result(
      checks.map((check) => `${marks[check.status]} ${check.detail}`),
      { ok: exitCode === exitCodes.ok, checks: checks.map(({ name, status, detail }) => ({ name, status, detail })) },
    );
    return exitCode;
  },
};
