/** Child processes of the benchmarks: the fake server, and each benchmark run on its own. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeServerOptions } from "../../src/testing/index.js";

/** A fake server running in another process. */
export interface RemoteFakeServer {
  /** The SDK's `baseURL`. */
  url: string;
  /** Forgets the fake's tasks and request log (so every round starts alike). */
  reset(): Promise<void>;
  /** Stops the process. */
  close(): Promise<void>;
}

const tsx = ["--import", "tsx"];
/** The repository root: child processes resolve `tsx` from here. */
const root = fileURLToPath(new URL("../../", import.meta.url));

/** Starts `createFakeServer(options)` in a child process on 127.0.0.1. */
export async function startFakeServerProcess(options: Omit<FakeServerOptions, "fake" | "clock">): Promise<RemoteFakeServer> {
  const child = fork(fileURLToPath(new URL("./fake-server-process.ts", import.meta.url)), {
    execArgv: tsx,
    cwd: root,
    env: { ...process.env, BENCH_FAKE_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const first = await nextMessage(child);
  const url = (first as { url?: unknown }).url;
  if (typeof url !== "string") throw new Error("the fake server process did not report its URL");
  return {
    url,
    reset: async () => {
      child.send("reset");
      await nextMessage(child);
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

/** Runs `bench/<script>` in a fresh Node process (with `--expose-gc`) and resolves when it exits successfully. */
export function runScript(script: string): Promise<void> {
  const child = fork(fileURLToPath(new URL(`../${script}`, import.meta.url)), {
    execArgv: [...tsx, "--expose-gc"],
    cwd: root,
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bench/${script} exited with code ${code}`))));
  });
}

function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fake server process exited (code ${code})`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message);
    });
  });
}
