/** The file formats the fake serves: png for images, mp4 for videos. */
export type FakeFileFormat = "png" | "mp4";

/** A 1×1 RGBA PNG: valid, tiny and the same every time. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mPwz33wHwAFRwKcgqBU6wAAAABJRU5ErkJggg==";

/** An MP4 `ftyp` box (isom, mp41): enough for a sniffer to call it video. */
const MP4_BYTES = [
  0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00, 0x69, 0x73,
  0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31,
];

const CONTENT_TYPES: Readonly<Record<FakeFileFormat, string>> = { png: "image/png", mp4: "video/mp4" };

/** The URL of a generated file, served by the fake itself at `{origin}/files/{task_id}/{index}.{format}`. */
export function fileURL(origin: string, taskId: string, index: number, format: FakeFileFormat): string {
  return `${origin}/files/${encodeURIComponent(taskId)}/${index}.${format}`;
}

/** Parses a file name like `0.png` into its index and format. */
export function parseFileName(name: string): { index: number; format: FakeFileFormat } | undefined {
  const match = /^(\d{1,3})\.(png|mp4)$/.exec(name);
  if (!match) return undefined;
  return { index: Number(match[1]), format: match[2] === "png" ? "png" : "mp4" };
}

/** A 200 answer with the file's deterministic bytes, Content-Type and Content-Length. */
export function fileResponse(format: FakeFileFormat, headers: Record<string, string>): Response {
  const bytes = format === "png" ? Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0)) : Uint8Array.from(MP4_BYTES);
  return new Response(bytes, {
    status: 200,
    headers: { ...headers, "Content-Type": CONTENT_TYPES[format], "Content-Length": String(bytes.byteLength) },
  });
}
