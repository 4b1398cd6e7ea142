/**
 * Local files named by path in a submit's file fields, where there is a file
 * system (Node, Deno, Bun): each path is checked, then opened as a `File` read
 * lazily from disk and typed by its extension, which the SDK uploads as it
 * uploads any Blob. Node's `fs` is imported by a specifier no bundler follows,
 * so a browser build carries none of it and never loads it.
 */
import type { ValidationIssue } from "../core/errors.js";
import { contentTypeOf, fileNameOf } from "./media-type.js";
import { classifyMediaString, mediaMessage } from "./media-value.js";
import type { ParamSpec } from "./param-codec.js";

/** Node's file-system module, named so that bundlers leave the import alone. */
const NODE_FS = "node:fs";

/** A local file, or why the path names none. */
export type LocalFile = { file: File } | { problem: string };

/**
 * Opens the file at `path` (relative to the working directory) as a `File`
 * named after it, its content type taken from the extension; or says why it
 * cannot (`no such file`, `not a file`, `cannot be read (EACCES)`). Reads no
 * byte where the runtime has `openAsBlob`: the upload streams it. Only where
 * there is a file system (`readsLocalPaths` of media-value.ts).
 */
export async function openLocalFile(path: string): Promise<LocalFile> {
  const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS)) as typeof import("node:fs");
  try {
    const stats = await fs.promises.stat(path);
    if (!stats.isFile()) return { problem: "not a file" };
    await fs.promises.access(path, fs.constants.R_OK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { problem: code === "ENOENT" || code === "ENOTDIR" ? "no such file" : `cannot be read (${typeof code === "string" ? code : "error"})` };
  }
  const type = contentTypeOf(path) ?? "";
  // openAsBlob reads lazily (Node ≥ 19.8); a runtime without it reads the file here.
  const content = typeof fs.openAsBlob === "function" ? await fs.openAsBlob(path, { type }) : await fs.promises.readFile(path);
  return { file: new File([content], fileNameOf(path), { type }) };
}

/**
 * Opens every local path in the file fields of `body` (a field's string, or a
 * string item of its array), but in the fields of `skip` (already refused):
 * the body with each replaced by its `File` (a copy; `body` itself is left as
 * it is, and returned as it is when it names no path), and one issue per path
 * that names no readable file.
 */
export async function openLocalPaths(
  specs: readonly ParamSpec[],
  body: Record<string, unknown>,
  skip: ReadonlySet<string>,
): Promise<{ body: Record<string, unknown>; issues: ValidationIssue[] }> {
  const found: { spec: ParamSpec; index: number | undefined; path: string }[] = [];
  for (const spec of specs) {
    const value = body[spec.name];
    if (!spec.media || skip.has(spec.name) || value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      if (typeof item === "string" && classifyMediaString(item, spec) === "path") found.push({ spec, index: Array.isArray(value) ? index : undefined, path: item });
    });
  }
  const issues: ValidationIssue[] = [];
  if (found.length === 0) return { body, issues };
  const opened = await Promise.all(found.map(({ path }) => openLocalFile(path)));
  // A copy of the body, and of each array that holds a path.
  const out: Record<string, unknown> = { ...body };
  for (const { spec, index } of found) if (index !== undefined) out[spec.name] = [...(body[spec.name] as unknown[])];
  found.forEach(({ spec, index, path }, at) => {
    const result = opened[at] as LocalFile;
    if ("problem" in result) issues.push({ path: index === undefined ? spec.name : `${spec.name}.${index}`, message: mediaMessage(spec, path, result.problem) });
    else if (index === undefined) out[spec.name] = result.file;
    else (out[spec.name] as unknown[])[index] = result.file;
  });
  return { body: out, issues };
}
