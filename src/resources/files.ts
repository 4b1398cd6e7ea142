import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { RequestOptions, Transport } from "../core/transport.js";
import type { FileData, UploadOptions, UploadedFile } from "./uploads.js";

/**
 * The team's media files (`/media/files`): upload an image, video or audio
 * file to pass its URL as a model input. Uploads are retried like reads (429,
 * 5xx, timeouts, dropped connections): an upload costs nothing, and a repeat
 * at worst stores a second copy. A stream is read into memory first, so that
 * it can be sent again. (The code behind these methods loads on first use.)
 */
export class Files {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Uploads `file` and resolves with its id and URL. */
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
