import type { UploadedFile } from "../../resources/uploads.js";
import { openSession } from "../client.js";
import { openLocalFile } from "../local-file.js";
import { safeText } from "../safe-text.js";
import { type CommandSpec, clientOptions, noPositionals, onePositional } from "../spec.js";
import { formatTable } from "../table.js";

/** A file's JSON view: the SDK's fields without the raw entry. */
function fileJSON(file: UploadedFile): Record<string, unknown> {
  const { data: _raw, ...fields } = file;
  return fields;
}

function fileRow(file: UploadedFile): string[] {
  return [safeText(file.fileId, 200), safeText(file.type ?? "-", 20), safeText(file.filename ?? "-", 100), safeText(file.url, 2000)];
}

/** `modellix files upload | list | delete`: the team's media files (`/media/files`). */
export const filesCommands: CommandSpec[] = [
  {
    name: "files upload",
    args: "<path>",
    summary: "Upload a local image, video or audio file; prints its URL",
    notes: [
      "Pass the printed URL as a model input (--image, or any file field with --param or --body).",
      "Generation commands and `run` also take a local path where a file is expected, and upload it for you.",
    ],
    options: clientOptions,
    async run(context) {
      const { positionals, io, output } = context;
      const path = onePositional(positionals, "file path", true);
      const file = await openLocalFile(path, "files upload");
      const { client } = await openSession(context, { requireKey: true });
      const uploaded = await client.files.upload(file, { filename: file.name, signal: io.signal });
      output.result([safeText(uploaded.url, 2000)], fileJSON(uploaded));
      return 0;
    },
  },
  {
    name: "files list",
    aliases: ["files"],
    args: "",
    summary: "List the team's uploaded files: id, type, name, URL",
    options: clientOptions,
    async run(context) {
      noPositionals(context.positionals, "files list");
      const { client } = await openSession(context, { requireKey: true });
      const files = await client.files.list({ signal: context.io.signal });
      context.output.result(formatTable(files.map(fileRow)), files.map(fileJSON));
      return 0;
    },
  },
  {
    name: "files delete",
    args: "<id>",
    summary: "Delete an uploaded file by id",
    options: clientOptions,
    async run(context) {
      const id = onePositional(context.positionals, "file id", true);
      const { client } = await openSession(context, { requireKey: true });
      await client.files.delete(id, { signal: context.io.signal });
      context.output.result([`deleted ${safeText(id, 200)}`], { fileId: id, deleted: true });
      return 0;
    },
  },
];
