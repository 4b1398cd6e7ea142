/**
 * What a string in a known model's file field may be: a URL (`https:`,
 * `http:`, `data:`), raw Base64 where the model's docs allow it, or, where
 * submits read local files, the path of one. Anything else (`"not a url"`,
 * `""`, `"cat"` in a browser, `"ftp://..."`) is refused before any request.
 */
import { describeValue } from "./describe.js";
import type { ParamSpec } from "./param-codec.js";

/** True where submits read local paths: Node, and Deno and Bun, which have its `fs` (see local-file.ts). */
export const readsLocalPaths: boolean =
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === "string";

/** How a file field reads a string: sent as it is, opened as a local file, or refused. */
export type MediaString = "send" | "path" | "invalid";

/** A URL scheme of two letters or more (`C:` starts a Windows path). */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The shortest raw Base64 taken for a file: a few dozen bytes, less than any real image or sound. */
const MIN_BASE64 = 64;

/** An `https:` or `http:` URL with a host and no spaces, or a `data:` URI. */
const MEDIA_URL = /^(?:https?:\/\/[^\s/?#]+\S*|data:[^,]*,[\s\S]*)$/i;

/** True for an `https:` or `http:` URL with a host, or a `data:` URI. */
export function isMediaURL(value: string): boolean {
  return MEDIA_URL.test(value);
}

function isRawBase64(value: string): boolean {
  return value.length >= MIN_BASE64 && value.length % 4 === 0 && BASE64.test(value);
}

/** How the file field `spec` reads the string `value`. */
export function classifyMediaString(value: string, spec: Pick<ParamSpec, "base64">): MediaString {
  if (isMediaURL(value) || (spec.base64 && isRawBase64(value))) return "send";
  if (!readsLocalPaths || value.trim() === "" || value.includes("\0") || SCHEME.test(value)) return "invalid";
  return "path";
}

/** What a file field takes, for messages: `a URL (https://, http:// or data:), a file (...) or a local file path`. */
function mediaExpected(spec: Pick<ParamSpec, "base64">): string {
  const kinds = ["a URL (https://, http:// or data:)", ...(spec.base64 ? ["raw Base64"] : []), "a file (Blob, ArrayBuffer, typed array or ReadableStream)"];
  if (readsLocalPaths) kinds.push("a local file path");
  return `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
}

/** The message for a value a file field refuses: `must be ... (got "cat")`, with why a path names no file when it does not. */
export function mediaMessage(spec: Pick<ParamSpec, "base64">, value: unknown, problem?: string): string {
  return `must be ${mediaExpected(spec)} (got ${describeValue(value)}${problem ? `: ${problem}` : ""})`;
}
