/** Edit distance between `a` and `b`, or `limit + 1` as soon as it is known to exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let row = 1; row <= a.length; row++) {
    const current = [row];
    let best = row;
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      const value = Math.min(
        previous[column]! + 1,
        current[column - 1]! + 1,
        previous[column - 1]! + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input` for "did you mean" hints: case-insensitive edit distance of
 * at most 2 (1 for inputs of 3 to 5 characters, only a case difference for shorter ones).
 *
 * @param input - what was written.
 * @param candidates - what would have been accepted.
 * @returns the closest candidate, or `undefined` when none is close.
 */
export function suggestClosest(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length === 0 || input.length > 64) return undefined;
  const limit = input.length <= 2 ? 0 : input.length <= 5 ? 1 : 2;
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(lowered, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `` (did you mean `x`?)`` when a close candidate exists, else the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const suggestion = suggestClosest(input, candidates);
  return suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`;
}
