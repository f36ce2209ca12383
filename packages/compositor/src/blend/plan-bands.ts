import type { PreparedComposite } from './prepare-composite.js';

/** A run of canvas rows. */
export interface RowRange {
  /** First row. */
  readonly rowStart: number;
  /** Row after the last one. */
  readonly rowEnd: number;
}

/**
 * Estimated work of the composite: pixels read, the backdrop included. Rows differ a lot (a
 * layer may cover only the top of the canvas), so bands are cut by this cost, not by rows.
 *
 * @param composite - the validated composite.
 * @returns the cost of each canvas row.
 */
export function rowCosts(composite: PreparedComposite): Float64Array {
  const { width, height } = composite;
  const change = new Float64Array(height + 1);
  for (const layer of composite.layers) {
    const visibleWidth = Math.min(width, layer.left + layer.width) - Math.max(0, layer.left);
    change[Math.max(0, layer.top)]! += visibleWidth;
    change[Math.min(height, layer.top + layer.height)]! -= visibleWidth;
  }
  const costs = new Float64Array(height);
  let running = 0;
  for (let row = 0; row < height; row++) {
    running += change[row]!;
    costs[row] = width + running;
  }
  return costs;
}

/**
 * Cuts the canvas into `shares.length` bands of consecutive rows whose costs follow `shares`.
 *
 * @param costs - the cost of each row ({@link rowCosts}).
 * @param shares - relative share of each band, e.g. `[1, 1]` for two equal halves.
 * @returns one range per share, in order; a band may be empty.
 */
export function planBands(costs: Float64Array, shares: readonly number[]): RowRange[] {
  let total = 0;
  for (const cost of costs) total += cost;
  const shareTotal = shares.reduce((sum, share) => sum + share, 0);
  const bands: RowRange[] = [];
  let row = 0;
  let spent = 0;
  let target = 0;
  shares.forEach((share, index) => {
    const rowStart = row;
    target += (share / shareTotal) * total;
    if (index === shares.length - 1) row = costs.length;
    else {
      while (row < costs.length && spent + costs[row]! / 2 <= target) spent += costs[row++]!;
    }
    bands.push({ rowStart, rowEnd: row });
  });
  return bands;
}
