import type { HarmonyMode } from '@layerloom/core';
import {
  linearFromOklab,
  linearFromUnit,
  oklabFromLinear,
  unitFromLinear,
} from '../matte/oklab.js';
import type { ColorStatistics } from './color-statistics.js';

/** Nodes per axis of the colour lookup table (a node every 255/32 ≈ 8 levels). */
export const harmonyTableNodes = 33;
/** Entries per node of the table: red, green, blue and one unused, for 8-byte alignment. */
const entries = 4;
/** Spread is scaled by at most this factor (or its inverse), so a flat layer is not blown up. */
const maxSpreadRatio = 4;

/** The transfer as `out = offset + scale × in` per Oklab channel. */
export interface HarmonyTransfer {
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
}

/**
 * The affine map per Oklab channel that moves `source`'s statistics towards `target`'s.
 *
 * @param source - the layer's statistics.
 * @param target - the statistics to move towards.
 * @param amount - 0 (not at all) to 1 (all the way).
 * @param mode - `full` (mean and spread of L, a, b) or `white-balance` (mean of a and b).
 * @returns the map.
 */
export function harmonyTransfer(
  source: ColorStatistics,
  target: ColorStatistics,
  amount: number,
  mode: HarmonyMode,
): HarmonyTransfer {
  const scale: [number, number, number] = [1, 1, 1];
  const offset: [number, number, number] = [0, 0, 0];
  for (let channel = 0; channel < 3; channel++) {
    if (mode === 'white-balance' && channel === 0) continue;
    let ratio = 1;
    if (mode === 'full' && source.spread[channel]! > 1e-4) {
      ratio = Math.min(
        maxSpreadRatio,
        Math.max(1 / maxSpreadRatio, target.spread[channel]! / source.spread[channel]!),
      );
    }
    // x + amount × ((μt + (x − μs) × ratio) − x), as scale × x + offset.
    scale[channel] = 1 + amount * (ratio - 1);
    offset[channel] = amount * (target.mean[channel]! - source.mean[channel]! * ratio);
  }
  return { scale, offset };
}

/** Oklab of every node of the grid (L, a, b per node), the same for every transfer. */
let gridOklab: Float64Array | undefined;

function nodesInOklab(): Float64Array {
  if (gridOklab !== undefined) return gridOklab;
  const nodes = harmonyTableNodes;
  const grid = new Float64Array(nodes * nodes * nodes * 3);
  const linearOfNode = Float64Array.from({ length: nodes }, (_, node) =>
    linearFromUnit(node / (nodes - 1)),
  );
  const color = { l: 0, a: 0, b: 0 };
  let at = 0;
  for (let red = 0; red < nodes; red++) {
    for (let green = 0; green < nodes; green++) {
      for (let blue = 0; blue < nodes; blue++) {
        oklabFromLinear(linearOfNode[red]!, linearOfNode[green]!, linearOfNode[blue]!, color);
        grid[at++] = color.l;
        grid[at++] = color.a;
        grid[at++] = color.b;
      }
    }
  }
  gridOklab = grid;
  return grid;
}

/**
 * The transfer sampled on a 33³ grid of sRGB colours (red slowest, blue fastest), four 16-bit
 * entries per node: output red, green and blue in fixed point, `round(value × 2¹⁵ / 255)` for a
 * value of 0..255 (so 0..32768), and an unused one. What {@link applyHarmonyTable} reads.
 *
 * @param transfer - the map, from {@link harmonyTransfer}.
 * @returns the table.
 */
export function buildHarmonyTable(transfer: HarmonyTransfer): Uint16Array {
  const grid = nodesInOklab();
  const count = grid.length / 3;
  const table = new Uint16Array(count * entries);
  const color = { l: 0, a: 0, b: 0 };
  const linear = new Float64Array(3);
  const { scale, offset } = transfer;
  const fixed = 32768;
  for (let node = 0; node < count; node++) {
    color.l = grid[3 * node]! * scale[0] + offset[0];
    color.a = grid[3 * node + 1]! * scale[1] + offset[1];
    color.b = grid[3 * node + 2]! * scale[2] + offset[2];
    linearFromOklab(color, linear);
    table[entries * node] = Math.round(unitFromLinear(linear[0]!) * fixed);
    table[entries * node + 1] = Math.round(unitFromLinear(linear[1]!) * fixed);
    table[entries * node + 2] = Math.round(unitFromLinear(linear[2]!) * fixed);
  }
  return table;
}
