/**
 * The file name of a task's `index`th file: `<task id>-<index>.<extension>`,
 * built only from characters that cannot name a directory. The extension is the
 * resource's `format`, else the URL's, else `bin`; nothing else of the URL is used.
 */
export function fileNameFor(taskId: string, index: number, resource: { url: string; format?: unknown }): string {
  const id = taskId.replace(/[^\w-]+/g, "_").replace(/^[_-]+|_+$/g, "").slice(0, 100) || "task";
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
