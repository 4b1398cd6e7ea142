/**
 * "Did you mean": the known names closest to a mistyped one, by edit distance.
 * One implementation for the submit checks (a model's fields, model slugs) and
 * the command line (commands, options, types).
 */

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((current[j - 1] ?? 0) + 1, (previous[j] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Options of {@link nearest}. */
export interface NearestOptions {
  /** Compares names by this key (default: as written), e.g. with case and separators dropped. */
  key?: (name: string) => string;
  /** The largest distance still taken for a typo (default: 2 edits, or 40 % of the word's length when that is more). */
  maxDistance?: number;
  /** The most candidates returned (default 3). */
  limit?: number;
}

/**
 * The candidates closest to `word` (every one at the smallest distance, in
 * their order, up to `limit`), when that distance is small enough to be a
 * typo; none otherwise.
 *
 * @example
 * ```ts
 * nearest("seedream-4.6-t2i", ["seedream-4.5-t2i", "seedream-4.0-t2i", "seedance-1.5-pro-t2v"]);
 * // ["seedream-4.5-t2i", "seedream-4.0-t2i"]
 * ```
 */
export function nearest(word: string, candidates: Iterable<string>, options: NearestOptions = {}): string[] {
  const key = options.key ?? ((name: string) => name);
  const typed = key(word);
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(typed.length * 0.4));
  let best: string[] = [];
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(typed, key(candidate));
    if (distance < bestDistance) {
      best = [candidate];
      bestDistance = distance;
    } else if (distance === bestDistance && !best.includes(candidate)) {
      best.push(candidate);
    }
  }
  return best.slice(0, options.limit ?? 3);
}

/** The candidate closest to `word`, when it is close enough to be a typo of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return nearest(word, candidates, { limit: 1 })[0];
}

/** ` (did you mean "x"?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[], quote: (text: string) => string = (text) => JSON.stringify(text)): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quote(match)}?)`;
}
