#!/usr/bin/env node
/**
 * The `modellix` command line. Run `modellix --help`.
 * @packageDocumentation
 */
import { main } from "./main.js";

// Ctrl-C stops waiting (the command then prints the id of a task already created, and how to resume it);
// a second Ctrl-C ends the process at once.
const interrupt = new AbortController();
process.once("SIGINT", () => interrupt.abort(new Error("interrupted")));
// `modellix models | head -1`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signal: interrupt.signal }).then(
  (code) => {
    process.exitCode = code;
  },
);
