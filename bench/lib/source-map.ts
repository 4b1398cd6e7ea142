/** A small reader of source maps (version 3), for the bundle shares: no dependency beyond the standard library. */

/** One mapped position: where output starts, and the source and line it came from. */
export interface Mapping {
  /** 1-based line of the output. */
  generatedLine: number;
  /** 0-based column of the output. */
  generatedColumn: number;
  /** The source, as the map names it (relative to the map), or null for unmapped output. */
  source: string | null;
  /** 1-based line in the source, or null. */
  originalLine: number | null;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGITS = new Map([...BASE64].map((char, index) => [char, index]));

/** The base64 VLQ numbers of one segment (`AAgBC` → `[0, 0, 16, 1]`). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGITS.get(char);
    if (digit === undefined) throw new Error(`bad source map character ${JSON.stringify(char)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Every mapping of a source map's JSON text, in output order. */
export function readMappings(mapText: string): Mapping[] {
  const map = JSON.parse(mapText) as { sources: string[]; mappings: string };
  const out: Mapping[] = [];
  let source = 0;
  let originalLine = 0;
  map.mappings.split(";").forEach((line, lineIndex) => {
    let column = 0;
    for (const segment of line.split(",")) {
      if (!segment) continue;
      const [columnDelta = 0, sourceDelta, lineDelta] = decodeSegment(segment);
      column += columnDelta;
      if (sourceDelta === undefined) {
        out.push({ generatedLine: lineIndex + 1, generatedColumn: column, source: null, originalLine: null });
        continue;
      }
      source += sourceDelta;
      originalLine += lineDelta ?? 0;
      out.push({ generatedLine: lineIndex + 1, generatedColumn: column, source: map.sources[source] ?? null, originalLine: originalLine + 1 });
    }
  });
  return out;
}
