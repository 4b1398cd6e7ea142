import { errorResponse } from "./responses.js";
import type { ProxyRoute } from "./routes.js";

/**
 * The file ids a request may list or delete, or the answer that refuses the
 * call: 403 without a `fileScope` (the team's files are not the user's), 404
 * for a delete outside the scope.
 */
export async function fileScopeOf(
  route: ProxyRoute,
  request: Request,
  scope: ((request: Request) => Iterable<string> | Promise<Iterable<string>>) | undefined,
): Promise<ReadonlySet<string> | Response | undefined> {
  if (!route.files) return undefined;
  if (!scope) return errorResponse(403, "Forbidden: the Modellix proxy lists and deletes uploaded files only with a fileScope option (they belong to the whole team)");
  const ids = new Set(await scope(request));
  if ("delete" in route.files && !ids.has(route.files.delete)) return errorResponse(404, "Not Found: no such file");
  return ids;
}

/** A file list's answer with only the files in `ids` (whether `data` is the list or holds it in `files`); any other body is refused. */
export function scopedFileList(body: string, ids: ReadonlySet<string>): string | undefined {
  try {
    const envelope = JSON.parse(body) as { data?: unknown };
    const keep = (files: unknown) => (Array.isArray(files) ? files.filter((file) => ids.has(String((file as { file_id?: unknown })?.file_id))) : undefined);
    const data = envelope.data as { files?: unknown } | unknown[] | undefined;
    const list = Array.isArray(data) ? keep(data) : keep(data?.files);
    if (!list) return undefined;
    return JSON.stringify({ ...envelope, data: Array.isArray(data) ? list : { ...data, files: list } });
  } catch {
    return undefined;
  }
}
