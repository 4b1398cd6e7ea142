import { type FakeFileFormat, parseFileName } from "./files.js";

/** What a request path addresses. API routes carry the methods they answer. */
export type Route =
  | { kind: "submit"; methods: readonly ["POST"]; provider: string; modelId: string; alias: boolean }
  | { kind: "task"; methods: readonly ["GET"]; taskId: string }
  | { kind: "models"; methods: readonly ["GET"] }
  | { kind: "validate"; methods: readonly ["GET"] }
  | { kind: "balance"; methods: readonly ["GET"] }
  | { kind: "media-files"; methods: readonly ["GET", "POST"] }
  | { kind: "media-file"; methods: readonly ["DELETE"]; fileId: string }
  | { kind: "unknown"; rest: readonly string[] }
  | { kind: "file"; taskId: string; index: number; format: FakeFileFormat }
  | { kind: "upload"; fileId: string; filename: string }
  | { kind: "outside" };

/**
 * What a request addressed, as the request log and {@link FakeRequestMatch} name it:
 * `submit` (`POST /api/v1/{provider}/{model_id}` or its `/async` alias), `task`,
 * `models`, `validate`, `balance`, `media-files` (upload and list), `media-file`
 * (delete), `unknown` (an API path that routes nowhere), `file` (a generated file),
 * `upload` (an uploaded file served back), `outside` (not under the API path).
 * @useDeclaredType
 */
export type FakeRouteKind = Route["kind"];

/**
 * Splits a raw pathname into segments, each decoded exactly once, so that an
 * encoded `/` or `..` stays inside its segment. Undefined when a segment is not valid percent-encoding.
 */
export function splitPath(rawPath: string): string[] | undefined {
  try {
    return rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * Routes decoded segments: generated files at `/files/{task_id}/{index}.{format}`,
 * uploaded files at `/uploads/{file_id}/{filename}`, the API under `{prefix}/api/v1`.
 */
export function parseRoute(segments: readonly string[], prefix: readonly string[]): Route {
  const [first, id, name] = segments;
  if (segments.length === 3 && id !== undefined && name !== undefined) {
    if (first === "files") {
      const file = parseFileName(name);
      if (file) return { kind: "file", taskId: id, ...file };
    }
    if (first === "uploads") return { kind: "upload", fileId: id, filename: name };
  }
  const api = [...prefix, "api", "v1"];
  if (!api.every((segment, index) => segments[index] === segment)) return { kind: "outside" };
  return parseApiRoute(segments.slice(api.length));
}

function parseApiRoute(rest: readonly string[]): Route {
  const [a, b, c] = rest;
  if (rest.length === 1 && a === "models") return { kind: "models", methods: ["GET"] };
  if (rest.length === 2 && a === "tasks" && b) return { kind: "task", methods: ["GET"], taskId: b };
  if (rest.length === 2 && a === "apikey" && b === "validate") return { kind: "validate", methods: ["GET"] };
  if (rest.length === 2 && a === "team" && b === "balance") return { kind: "balance", methods: ["GET"] };
  if (rest.length === 2 && a === "media" && b === "files") return { kind: "media-files", methods: ["GET", "POST"] };
  if (rest.length === 3 && a === "media" && b === "files" && c) return { kind: "media-file", methods: ["DELETE"], fileId: c };
  const submit = rest.length === 2 || (rest.length === 3 && c === "async");
  if (submit && a && b && !RESERVED.has(a)) {
    return { kind: "submit", methods: ["POST"], provider: a, modelId: b, alias: rest.length === 3 };
  }
  return { kind: "unknown", rest };
}

/** First segments the API uses for its own endpoints; no provider has these names. */
const RESERVED: ReadonlySet<string> = new Set(["models", "tasks", "apikey", "team", "media"]);
