import { levenshteinDistance } from '../util/closest-name.js';

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
    const distance = levenshteinDistance(lowered, candidate.toLowerCase());
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
