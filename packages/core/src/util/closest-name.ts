/** Levenshtein distance between two strings, counted in UTF-16 code units. */
export function levenshteinDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let row = 1; row <= a.length; row++) {
    const current = [row];
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      current.push(
        Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `input` by case-insensitive Levenshtein distance (ties go to the
 * earlier candidate). Unlike a "did you mean" hint it always answers when there is a candidate:
 * use it where every valid name is listed anyway.
 *
 * @param input - what was written.
 * @param candidates - the valid names.
 * @returns the nearest candidate, or `undefined` when there is none.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshteinDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
