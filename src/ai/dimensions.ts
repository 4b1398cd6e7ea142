/**
 * Sizes, aspect ratios and resolution presets as the models spell them
 * (`2048x2048`, `1328*1328`, `16:9`, `2K`, `720p`), and the nearest of a
 * model's choices to what a call asked for.
 */

/** Width and height in pixels. */
export interface Dimensions {
  width: number;
  height: number;
}

/** `"2048x2048"` or `"1328*1328"` as pixels; `undefined` for anything else. */
export function parseDimensions(value: string): Dimensions | undefined {
  const match = /^([1-9]\d*)\s*[x*]\s*([1-9]\d*)$/.exec(value);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** `"16:9"` as width over height; `undefined` for anything else (`"adaptive"`). */
export function parseRatio(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(value);
  const ratio = match ? Number(match[1]) / Number(match[2]) : Number.NaN;
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined;
}

/** The ratio of `dimensions` in lowest terms: 1920×1080 → `"16:9"`. */
export function ratioOf({ width, height }: Dimensions): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}

/** How far apart two positive figures are, as a ratio (0 when equal). */
function distance(a: number, b: number): number {
  return Math.abs(Math.log(a / b));
}

/** The choice with the smallest score; the first one on a tie. */
function nearest<T>(choices: readonly T[], score: (choice: T) => number | undefined): T | undefined {
  let best: T | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const choice of choices) {
    const value = score(choice);
    if (value !== undefined && value < bestScore) [best, bestScore] = [choice, value];
  }
  return best;
}

/** The ratio among `choices` (`"16:9"`, ...) nearest to `ratio`; non-ratio choices (`"adaptive"`) are skipped. */
export function nearestRatio(choices: readonly string[], ratio: number): string | undefined {
  return nearest(choices, (choice) => {
    const own = parseRatio(choice);
    return own === undefined ? undefined : distance(own, ratio);
  });
}

/** The size among `choices` (`"1328*1328"`, ...) of the nearest aspect ratio, then the nearest area. */
export function nearestSize(choices: readonly string[], target: Dimensions): string | undefined {
  const ratio = target.width / target.height;
  const area = target.width * target.height;
  return nearest(choices, (choice) => {
    const own = parseDimensions(choice);
    // A ratio that differs outweighs any difference of area.
    return own === undefined ? undefined : distance(own.width / own.height, ratio) * 1000 + distance(own.width * own.height, area);
  });
}

/** The size among `choices` with `ratio`, the first listed (the smallest, as the catalogs list them). */
export function sizeWithRatio(choices: readonly string[], ratio: number): string | undefined {
  return nearest(choices, (choice) => {
    const own = parseDimensions(choice);
    return own === undefined ? undefined : distance(own.width / own.height, ratio);
  });
}

/**
 * How near a resolution preset is to `target`: `720p` names the short edge,
 * `2K` (or `2k`) the long edge in multiples of 1024, a plain number (`512`) the
 * long edge. `undefined` for a value that is no preset.
 */
function presetDistance(preset: string, { width, height }: Dimensions): number | undefined {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const lines = /^(\d+)p$/i.exec(preset);
  if (lines) return distance(short, Number(lines[1]));
  const kilo = /^(\d+(?:\.\d+)?)k$/i.exec(preset);
  if (kilo) return distance(long, Number(kilo[1]) * 1024);
  return /^\d+$/.test(preset) ? distance(long, Number(preset)) : undefined;
}

/** The preset among `choices` (`"1K"`, `"720P"`, `"512"`, ...) nearest to `target`, spelled as the model spells it. */
export function nearestPreset(choices: readonly string[], target: Dimensions): string | undefined {
  return nearest(choices, (choice) => presetDistance(choice, target));
}
