import { type FileHandle, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { JournalEntry, JournalStore } from "../resources/journal.js";

/**
 * A batch journal in a JSON Lines file, one entry a line, for
 * `client.batch(items, { journal })` and `modellix task history`.
 *
 * - `append` writes one line and flushes it to disk (`fdatasync`) before it
 *   resolves, so an intent is durable before its paid POST is sent. Appends
 *   of one store are written in order, one at a time.
 * - The file is created with mode 0600 (owner only), its directory synced once.
 * - A line torn by a crash is skipped on reading, and the next append starts on a fresh line.
 * - Entries hold item keys (hashes), types, model slugs, task ids, statuses and
 *   times: never the API key, never a request body.
 *
 * ```ts
 * import { fileJournal } from "modellix/node";
 * const results = await client.batch(items, { journal: fileJournal("./batch.journal.jsonl") });
 * ```
 */
export function fileJournal(path: string): JournalStore {
  if (typeof path !== "string" || path === "") throw new TypeError("fileJournal(path): path must be a non-empty string");
  let tail: Promise<void> = Promise.resolve();
  let opened = false;

  const write = async (line: string): Promise<void> => {
    const handle = await open(path, "a+", 0o600);
    try {
      const first = !opened;
      const text = first && (await endsMidLine(handle)) ? `\n${line}` : line;
      await handle.appendFile(text, "utf8");
      await handle.datasync();
      if (first) await syncDirectory(dirname(path));
      opened = true;
    } finally {
      await handle.close();
    }
  };

  return {
    append(entry: JournalEntry): Promise<void> {
      const line = `${JSON.stringify(entry)}\n`;
      const written = tail.then(() => write(line));
      tail = written.catch(() => undefined);
      return written;
    },
    async read(): Promise<JournalEntry[]> {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return text.split("\n").flatMap((line) => parseLine(line));
    },
  };
}

/** One line as an entry-like object; nothing for a blank or torn line (the reader checks each entry's fields). */
function parseLine(line: string): JournalEntry[] {
  if (line.trim() === "") return [];
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? [value as JournalEntry] : [];
  } catch {
    return [];
  }
}

/** True when the file is not empty and its last byte is not a newline (a line torn by a crash). */
async function endsMidLine(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/** Makes a new file's directory entry durable; some platforms cannot open a directory, which is fine. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // Windows, and some file systems, refuse to open or sync a directory.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
