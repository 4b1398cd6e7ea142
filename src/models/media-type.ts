/**
 * The name and content type of a local file from its path, without Node's
 * `path` module: the SDK's submit checks (which run in browsers too), the
 * command line and `modellix/node` share it.
 */

/** Content types by file extension, for the media the API takes. */
const contentTypes: Readonly<Record<string, string>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".mp4": "video/mp4",
  ".mov": "video/quicktime",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".m4a": "audio/mp4",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
};

/** The last segment of a path (`/` or `\` separated): `cat.png` of `./pics/cat.png`. */
export function fileNameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** The content type of a media file by its extension, or undefined for one the table does not know. */
export function contentTypeOf(path: string): string | undefined {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : "";
  return Object.hasOwn(contentTypes, extension) ? contentTypes[extension] : undefined;
}
