import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import type { Modellix } from "../client.js";
import { type ResponsePromise, responsePromise } from "../core/response-promise.js";
import type { UploadOptions, UploadedFile } from "../resources/uploads.js";
import { contentTypeOf } from "../models/media-type.js";

/**
 * Uploads a local file to the team's media storage and resolves with its id
 * and URL (`client.files.upload` for a path). The file is read lazily from
 * disk; its name and, from the extension, its content type are sent unless
 * `options` say otherwise.
 *
 * ```ts
 * const { url } = await uploadFile(client, "./cat.png");
 * await client.i2v.submit({ first_frame_image: url, prompt: "the cat waves" }).wait();
 * ```
 */
export function uploadFile(client: Modellix, path: string, options: UploadOptions = {}): ResponsePromise<UploadedFile> {
  const contentType = options.contentType ?? contentTypeOf(path);
  return responsePromise(
    openAsBlob(path, contentType ? { type: contentType } : {}).then((blob) =>
      client.files.upload(blob, { filename: basename(path), ...options, contentType }).withResponse(),
    ),
  );
}
