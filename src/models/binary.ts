/**
 * Recognizes binary values in a submit input: the files the SDK uploads through
 * the media-file API and replaces by their URLs.
 */

/** A binary value the SDK can upload. */
export type BinaryValue = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

function tagOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/**
 * True for a `Blob` (or `File`), an `ArrayBuffer`, an `ArrayBufferView` (typed
 * arrays, `DataView`, Node's `Buffer`) or a `ReadableStream`, including values
 * from another realm (a worker, an iframe, a VM context).
 *
 * @example
 * ```ts
 * isBinary(new Blob(["x"])); // true
 * isBinary(new Uint8Array(4)); // true
 * isBinary("https://example.com/cat.png"); // false
 * ```
 */
export function isBinary(value: unknown): value is BinaryValue {
  if (typeof value !== "object" || value === null) return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  if (typeof Blob !== "undefined" && value instanceof Blob) return true;
  if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return true;
  const tag = tagOf(value);
  if (tag === "ArrayBuffer") return true;
  const candidate = value as { arrayBuffer?: unknown; getReader?: unknown; size?: unknown; type?: unknown };
  if ((tag === "Blob" || tag === "File") && typeof candidate.arrayBuffer === "function") return true;
  return tag === "ReadableStream" && typeof candidate.getReader === "function";
}
