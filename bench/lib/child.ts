/** Child processes of the benchmarks: the local servers, and each benchmark run on its own. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeServerOptions } from "../../src/testing/index.js";

/** A server running in another process. */
export interface RemoteServer {
  /** Its origin (the SDK's `baseURL`). */
  url: string;
  /** Sends the process a message and resolves with its answer. */
  ask(message: string): Promise<unknown>;
  /** Stops the process. */
  close(): Promise<void>;
}

const tsx = ["--import", "tsx"];
/** The repository root: child processes resolve `tsx` from here. */
export const root = fileURLToPath(new URL("../../", import.meta.url));

/** Forks `bench/lib/<script>` under tsx; resolves once it reports `{ url }`. */
async function startServerProcess(script: string, env: Record<string, string> = {}): Promise<RemoteServer> {
  const child = fork(fileURLToPath(new URL(`./${script}`, import.meta.url)), {
    execArgv: tsx,
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const first = await nextMessage(child);
  const url = (first as { url?: unknown }).url;
  if (typeof url !== "string") throw new Error(`bench/lib/${script} did not report its URL`);
  return {
    url,
    ask: (message) => {
      child.send(message);
      return nextMessage(child);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

/** The minimal multi-API server of the CPU comparison (lib/api-server.ts). */
export function startApiServer(): Promise<RemoteServer> {
  return startServerProcess("api-server.ts");
}

/** `createFakeServer(options)` (the SDK's own fake, with quota and rate limit) in another process; `ask("reset")` forgets its tasks and log. */
export function startFakeServerProcess(options: Omit<FakeServerOptions, "fake" | "clock">): Promise<RemoteServer> {
  return startServerProcess("fake-server-process.ts", { BENCH_FAKE_OPTIONS: JSON.stringify(options) });
}

/** Runs `bench/<script>` in a fresh Node process (with `--expose-gc`) and resolves when it exits successfully. */
export function runScript(script: string, args: readonly string[] = []): Promise<void> {
  const child = fork(fileURLToPath(new URL(`../${script}`, import.meta.url)), [...args], {
    execArgv: [...tsx, "--expose-gc"],
    cwd: root,
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bench/${script} exited with code ${code}`))));
  });
}

/** The next message `child` sends; rejects if it exits first. */
export function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a benchmark child process exited (code ${code})`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message);
    });
  });
}
