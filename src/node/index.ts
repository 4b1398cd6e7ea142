/**
 * `modellix/node`: Node-only helpers: write generated files to disk, upload
 * local files, keep a batch journal in a file, answer webhook deliveries.
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
export type { DownloadOptions, DownloadProgress } from "../core/download.js";
export { fileJournal } from "./journal-file.js";
export { uploadFile } from "./upload.js";
export { webhookHandler } from "./webhooks.js";
