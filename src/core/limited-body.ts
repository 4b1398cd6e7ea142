/** Response bodies within a byte limit: as a stream that fails past it, or read whole. */
/** Limits of {@link limitedBody}. */
export interface BodyLimit {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** The error a larger body fails with. */
  tooLarge: () => Error;
  /** Called each time bytes arrive, with the declared `Content-Length` as `total`. */
  onProgress?: ((progress: { bytes: number; total: number | undefined }) => void) | undefined;
}

/**
 * A response's body as a stream that fails with `tooLarge()` as soon as it
 * grows past `maxBytes` (at once when `Content-Length` already says so),
 * reporting progress as it flows. Nothing past the limit is read.
 */
export function limitedBody(response: Response, { maxBytes, tooLarge, onProgress }: BodyLimit): ReadableStream<Uint8Array> {
  const length = response.headers.get("content-length");
  const total = length !== null && Number.isFinite(Number(length)) ? Number(length) : undefined;
  if (total !== undefined && total > maxBytes) {
    // Not awaited: a cancel some streams never settle must not hang the caller.
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  let bytes = 0;
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) return controller.error(tooLarge());
        controller.enqueue(chunk);
        onProgress?.({ bytes, total });
      },
    }),
  );
}

/**
 * A response's whole body, refusing one that decodes to more than `maxBytes`
 * with `tooLarge()`, without reading past the limit.
 */
export function readLimited(response: Response, maxBytes: number, tooLarge: () => Error): Promise<ArrayBuffer> {
  const length = response.headers.get("content-length");
  const encoding = response.headers.get("content-encoding");
  // An uncompressed body of a declared length within the limit cannot exceed it: read it in one go.
  if (length !== null && Number(length) <= maxBytes && (encoding === null || encoding === "identity")) return response.arrayBuffer();
  return new Response(limitedBody(response, { maxBytes, tooLarge })).arrayBuffer();
}
