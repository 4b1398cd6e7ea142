/** The formats of generated files: png for images, mp4 for videos, wav for audio. */
export type FakeFileFormat = "png" | "mp4" | "wav";

/** A 1×1 RGBA PNG: valid, tiny and the same every time. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mPwz33wHwAFRwKcgqBU6wAAAABJRU5ErkJggg==";

/** An MP4 `ftyp` box (isom, mp41): enough for a sniffer to call it video. */
const MP4_BYTES = [
  0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00, 0x69, 0x73,
  0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31,
];

const WAV_SAMPLE_RATE = 8000;
const WAV_SAMPLES = 800;

const CONTENT_TYPES: Readonly<Record<FakeFileFormat, string>> = { png: "image/png", mp4: "video/mp4", wav: "audio/wav" };

/** The URL of a generated file, served by the fake itself at `{origin}/files/{task_id}/{index}.{format}`. */
export function fileURL(origin: string, taskId: string, index: number, format: FakeFileFormat): string {
  return `${origin}/files/${encodeURIComponent(taskId)}/${index}.${format}`;
}

/** Parses a file name like `0.png` into its index and format. */
export function parseFileName(name: string): { index: number; format: FakeFileFormat } | undefined {
  const match = /^(\d{1,3})\.(png|mp4|wav)$/.exec(name);
  if (!match) return undefined;
  return { index: Number(match[1]), format: match[2] as FakeFileFormat };
}

/** A 200 answer with the file's deterministic bytes, Content-Type and Content-Length. */
export function fileResponse(format: FakeFileFormat, headers: Record<string, string>): Response {
  return bytesResponse(fileBytes(format), CONTENT_TYPES[format], headers);
}

/** A 200 answer carrying `bytes` as `contentType`, with its Content-Length. */
export function bytesResponse(bytes: Uint8Array<ArrayBuffer>, contentType: string, headers: Record<string, string>): Response {
  return new Response(bytes, {
    status: 200,
    headers: { ...headers, "Content-Type": contentType, "Content-Length": String(bytes.byteLength) },
  });
}

function fileBytes(format: FakeFileFormat): Uint8Array<ArrayBuffer> {
  if (format === "png") return Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
  if (format === "mp4") return Uint8Array.from(MP4_BYTES);
  return silentWav();
}

/** A 0.1 s mono 16-bit PCM WAV of silence: a valid RIFF/WAVE file. */
function silentWav(): Uint8Array<ArrayBuffer> {
  const dataBytes = WAV_SAMPLES * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, WAV_SAMPLE_RATE, true);
  view.setUint32(28, WAV_SAMPLE_RATE * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  return bytes;
}
