/**
 * `modellix/node`: helpers beside the client: write generated files to disk,
 * upload local files, answer webhook deliveries from `node:http` or Express,
 * and the batch journal (`fileJournal` in a file, `MemoryJournal` in memory,
 * `journalHistory` to read one back). `fileJournal`, `saveTo`, `download`,
 * `uploadFile` and `webhookHandler` are Node only.
 *
 * ```ts
 * import { download, saveTo } from "modellix/node";
 * const files = await download(await client.textToImage({ prompt: "a fox" }).wait(), "./out");
 * ```
 *
 * @packageDocumentation
 */
export { saveTo } from "./save.js";
export type { SavedFile } from "./save.js";
export { download } from "./download.js";
export type { DownloadAllOptions } from "./download.js";
export type { DownloadOptions, DownloadProgress } from "../core/task-data.js";
export { fileJournal } from "./journal-file.js";
export { uploadFile } from "./upload.js";
export type { FileData, UploadOptions, UploadedFile } from "../resources/uploads.js";
export { MemoryJournal, journalHistory } from "../resources/journal.js";
export type { JournalEntry, JournalStore, JournalTask } from "../resources/journal.js";
export { webhookHandler } from "./webhooks.js";
