import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import type { FileData, UploadOptions, UploadedFile } from "./uploads.js";

/**
 * The team's media files (`/media/files`): upload an image, video or audio
 * file (at most 16 MiB) to pass its URL as a model input. The file store has a
 * quota, so an upload is sent again only when nothing was stored (a 429, a
 * connection that never opened), like a paid submit; a 5xx, a timeout or a
 * reset after sending is thrown, never replayed. A stream is read into memory
 * first. (The code behind these methods loads on first use.)
 */
export class Files {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Uploads `file` and resolves with its id and URL; a file over 16 MiB is a `ValidationError`, and nothing is sent. */
  upload(file: FileData, options: UploadOptions = {}): ResponsePromise<UploadedFile> {
    return responsePromise(loadUploads().then((uploads) => uploads.uploadFile(this.#transport, file, options)));
  }

  /** The team's uploaded files. */
  list(options: RequestOptions = {}): ResponsePromise<UploadedFile[]> {
    return responsePromise(loadUploads().then((uploads) => uploads.listFiles(this.#transport, options)));
  }

  /** Deletes one uploaded file by id. */
  delete(fileId: string, options: RequestOptions = {}): ResponsePromise<void> {
    return responsePromise(loadUploads().then((uploads) => uploads.deleteFile(this.#transport, fileId, options)));
  }
}

/** The upload code, loaded on first use: the browser entry carries none of it. */
export function loadUploads(): Promise<typeof import("./uploads.js")> {
  return import("./uploads.js");
}
