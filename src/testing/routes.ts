import { type FakeFileFormat, parseFileName } from "./files.js";
import { type FakeTaskType, isTaskType } from "./task-types.js";

/** What a request path addresses. API routes carry the one method they answer. */
export type Route =
  | { kind: "submit"; method: "POST"; type: FakeTaskType; provider: string; modelId: string }
  | { kind: "task"; method: "GET"; taskId: string }
  | { kind: "models"; method: "GET" }
  | { kind: "validate"; method: "GET" }
  | { kind: "balance"; method: "GET" }
  | { kind: "unknown" }
  | { kind: "file"; taskId: string; index: number; format: FakeFileFormat }
  | { kind: "outside" };

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

/** Routes decoded segments: files at `/files/{task_id}/{index}.{format}`, the API under `base`. */
export function parseRoute(segments: readonly string[], base: readonly string[]): Route {
  const [first, taskId, name] = segments;
  if (first === "files" && taskId !== undefined && name !== undefined && segments.length === 3) {
    const file = parseFileName(name);
    if (file) return { kind: "file", taskId, ...file };
  }
  if (!base.every((segment, index) => segments[index] === segment)) return { kind: "outside" };
  return parseApiRoute(segments.slice(base.length));
}

function parseApiRoute(rest: readonly string[]): Route {
  const [a, b, c, d] = rest;
  if (rest.length === 1 && a === "models") return { kind: "models", method: "GET" };
  if (rest.length === 2 && a === "tasks" && b) return { kind: "task", method: "GET", taskId: b };
  if (rest.length === 2 && a === "apikey" && b === "validate") return { kind: "validate", method: "GET" };
  if (rest.length === 2 && a === "team" && b === "balance") return { kind: "balance", method: "GET" };
  if (rest.length === 4 && a !== undefined && isTaskType(a) && b && c && d === "async") {
    return { kind: "submit", method: "POST", type: a, provider: b, modelId: c };
  }
  return { kind: "unknown" };
}
