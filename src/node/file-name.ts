import { createHash } from "node:crypto";

/**
 * The file name of a task's `index`th file: `<task id>-<index>.<extension>`,
 * built only from characters that cannot name a directory. An id that had to
 * be changed for that (other characters, upper case, over 100 characters) gets
 * `~` and a hash of the raw id, so two task ids never share a file name, even
 * on a case-insensitive disk (`a/b` → `a_b~…`, `a?b` → `a_b~…`, `a_b` → `a_b`).
 * The extension is the resource's `format`, else the URL's, else `bin`; nothing
 * else of the URL is used.
 */
export function fileNameFor(taskId: string, index: number, resource: { url: string; format?: unknown }): string {
  const cleaned = taskId.replace(/[^\w-]+/g, "_").replace(/^[_-]+|_+$/g, "").slice(0, 100) || "task";
  const unchanged = cleaned === taskId && taskId === taskId.toLowerCase();
  // `~` never occurs in an unchanged id, so a changed one cannot take an unchanged one's name.
  const id = unchanged ? cleaned : `${cleaned}~${createHash("sha256").update(taskId, "utf16le").digest("hex").slice(0, 10)}`;
  return `${id}-${index}.${extensionOf(resource)}`;
}

function extensionOf(resource: { url: string; format?: unknown }): string {
  const fromURL = /\.(\w{1,8})$/.exec(pathnameOf(resource.url))?.[1];
  const extension = [resource.format, fromURL].find((value) => typeof value === "string" && /^[A-Za-z0-9]{1,8}$/.test(value));
  return typeof extension === "string" ? extension.toLowerCase() : "bin";
}

function pathnameOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}
