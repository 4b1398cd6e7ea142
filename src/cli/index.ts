#!/usr/bin/env node
/**
 * The `modellix` command line. Run `modellix --help`.
 * @packageDocumentation
 */
import { runCli } from "./main.js";

const interrupt = new AbortController();
process.once("SIGINT", () => interrupt.abort(new Error("interrupted")));
// `modellix models | head -1`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal }).then(
  (code) => {
    process.exitCode = code;
  },
);
