/** A progress bar line of `tqdm` (what diffusion models print per step): `76%|███  | 19/25 [...]`. */
const progressLine = /^\s*(\d{1,3})%\|[^|\n]*\|\s*(\d+)\/(\d+)/;

/** The line most Replicate image models print before painting: `Using seed: 1234`. */
const seedLine = /\busing seed:?\s*(\d{1,20})\b/i;

/**
 * The progress of a prediction from its `logs`: the last progress bar printed, as the fraction
 * of steps done (the percentage when the step counts are missing).
 *
 * @param logs - the prediction's `logs`.
 * @returns a fraction from 0 to 1, or `undefined` when the logs carry no progress bar.
 */
export function progressFromLogs(logs: unknown): number | undefined {
  if (typeof logs !== 'string' || logs === '') return undefined;
  const lines = logs.split(/\r|\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    const match = progressLine.exec(lines[index]!);
    if (match === null) continue;
    const current = Number(match[2]);
    const total = Number(match[3]);
    const fraction = total > 0 ? current / total : Number(match[1]) / 100;
    return Math.min(1, Math.max(0, fraction));
  }
  return undefined;
}

/**
 * The seed a prediction printed in its `logs` (`Using seed: 1234`), the first one.
 *
 * @param logs - the prediction's `logs`.
 * @returns the seed, or `undefined` when the logs name none (or it is not a safe integer).
 */
export function seedFromLogs(logs: unknown): number | undefined {
  if (typeof logs !== 'string') return undefined;
  const match = seedLine.exec(logs);
  if (match === null) return undefined;
  const seed = Number(match[1]);
  return Number.isSafeInteger(seed) ? seed : undefined;
}
