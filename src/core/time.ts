/** Earliest and latest instants accepted from the API (years 2000 to 2200): anything else is a misread unit or junk. */
const earliest = Date.UTC(2000, 0, 1);
const latest = Date.UTC(2200, 0, 1);

/**
 * Reads a point in time the API sends in an undocumented unit: Unix seconds,
 * Unix milliseconds (a number below 1e11 is seconds, as the vendor's own code
 * reads it), or a date string (ISO 8601, or digits in either unit). Returns
 * undefined for anything that is not a time between 2000 and 2200, so a unit
 * misread never puts a live result in 1970 or an expiry out of range.
 */
export function parseApiTime(value: unknown): Date | undefined {
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string" && value.trim() !== "") ms = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Date.parse(value);
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  if (Math.abs(ms) < 1e11) ms *= 1000;
  return ms >= earliest && ms <= latest ? new Date(ms) : undefined;
}
