import { open } from "node:fs/promises";
import { UsageError } from "./exit-codes.js";
import type { CliIO } from "./io.js";

/** The most a `--body`, a batch file or a piped key may be: 64 MiB, the API's own request limit. */
export const maxInputBytes = 64 * 1024 * 1024;

/**
 * Reads all of standard input as UTF-8, up to `maxBytes`. Refuses a terminal
 * (nothing piped, the command would seem to hang) and a missing stdin.
 */
export async function readStdin(io: CliIO, label: string, maxBytes = maxInputBytes): Promise<string> {
  const { stdin } = io;
  if (!stdin || stdin.isTTY) throw new UsageError(`${label}: nothing is piped to standard input`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) throw new UsageError(`${label}: standard input is larger than ${maxBytes} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a local file as UTF-8, up to `maxBytes`; a missing or unreadable file is a usage error naming it. */
export async function readLocalFile(path: string, label: string, maxBytes = maxInputBytes): Promise<string> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (error) {
    throw new UsageError(`${label}: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new UsageError(`${label}: ${JSON.stringify(path)} is not a file`);
    if (stats.size > maxBytes) throw new UsageError(`${label}: ${JSON.stringify(path)} is larger than ${maxBytes} bytes`);
    return await file.readFile("utf8");
  } finally {
    await file.close();
  }
}

/** A text source as many commands take it: `-` is standard input, anything else a file path. */
export function readSource(source: string, io: CliIO, label: string): Promise<string> {
  return source === "-" ? readStdin(io, label) : readLocalFile(source, label);
}
