import type { HarmonyMode } from '@layerloom/core';
import { linearFromUnit, oklabFromLinear, unitFromLinear } from '../matte/oklab.js';
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

/** Steps of the sRGB encoding table that follows the grid in {@link harmonyGrid}. */
const encodingSteps = 4096;

/**
 * The Oklab colour of every node of the table's grid (L, a, b per node, red slowest), the same
 * for every transfer, followed by the sRGB encoding in the table's fixed point at every 1/4096
 * of linear light (4097 values, `unit × 2¹⁵` unrounded): computed once, in shared memory so
 * that worker threads can read it.
 *
 * @returns the grid and the encoding.
 */
export function harmonyGrid(): Float64Array {
  if (gridOklab !== undefined) return gridOklab;
  const nodes = harmonyTableNodes;
  const count = nodes * nodes * nodes * 3;
  const grid = new Float64Array(new SharedArrayBuffer((count + encodingSteps + 1) * 8));
  for (let step = 0; step <= encodingSteps; step++) {
    grid[count + step] = unitFromLinear(step / encodingSteps) * 32768;
  }
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
 * A linear-light channel as sRGB in the table's fixed point, `round(unit × 2¹⁵)`, clamped to
 * 0..1 first: interpolated linearly in the encoding table of {@link harmonyGrid} (steps of
 * 1/4096; off by at most about half a fixed-point unit, 0.004 of an 8-bit level), which costs
 * far less than the power `x^(1/2.4)`.
 *
 * Worker threads run it from its source text, so it references nothing but its arguments.
 *
 * @param linear - the channel, linear light (may be out of 0..1).
 * @param grid - {@link harmonyGrid}.
 * @param encoding - where the encoding starts in `grid`.
 * @returns the fixed-point sRGB value, 0..32768.
 */
export function fixedFromLinear(linear: number, grid: Float64Array, encoding: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 32768;
  const position = linear * 4096;
  const step = Math.floor(position);
  const low = grid[encoding + step]!;
  return Math.round(low + (position - step) * (grid[encoding + step + 1]! - low));
}

/**
 * The transfer sampled on a 33³ grid of sRGB colours (red slowest, blue fastest), four 16-bit
 * entries per node: output red, green and blue in fixed point, `round(value × 2¹⁵ / 255)` for a
 * value of 0..255 (so 0..32768), and an unused one. What {@link applyHarmonyTable} reads.
 *
 * @param transfer - the map, from {@link harmonyTransfer}.
 * @param shared - in shared memory, for worker threads.
 * @returns the table.
 */
export function buildHarmonyTable(transfer: HarmonyTransfer, shared = false): Uint16Array {
  const grid = harmonyGrid();
  const bytes = harmonyTableNodes ** 3 * entries * 2;
  const table = new Uint16Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  fillHarmonyTable(grid, table, [...transfer.scale, ...transfer.offset], 0, harmonyTableNodes);
  return table;
}

/**
 * Fills the nodes of red planes `planeStart` to `planeEnd` (exclusive) of a table of
 * {@link buildHarmonyTable}: each plane separately, so that threads can share the planes.
 *
 * Worker threads run it from its source text, so it references nothing but its arguments and
 * {@link fixedFromLinear}.
 *
 * @param grid - {@link harmonyGrid}.
 * @param table - the table to fill.
 * @param transfer - scale of L, a, b, then offset of L, a, b.
 * @param planeStart - first red plane (node index along red).
 * @param planeEnd - plane after the last.
 */
export function fillHarmonyTable(
  grid: Float64Array,
  table: Uint16Array,
  transfer: readonly number[],
  planeStart: number,
  planeEnd: number,
): void {
  const [scaleL, scaleA, scaleB, offsetL, offsetA, offsetB] = transfer as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const plane = 33 * 33;
  const encoding = 33 * plane * 3;
  for (let node = planeStart * plane; node < planeEnd * plane; node++) {
    const l = grid[3 * node]! * scaleL + offsetL;
    const a = grid[3 * node + 1]! * scaleA + offsetA;
    const b = grid[3 * node + 2]! * scaleB + offsetB;
    // Oklab to linear sRGB (as `linearFromOklab`, with products for the cubes).
    const long = l + 0.3963377774 * a + 0.2158037573 * b;
    const medium = l - 0.1055613458 * a - 0.0638541728 * b;
    const short = l - 0.0894841775 * a - 1.291485548 * b;
    const long3 = long * long * long;
    const medium3 = medium * medium * medium;
    const short3 = short * short * short;
    const at = 4 * node;
    table[at] = fixedFromLinear(
      4.0767416621 * long3 - 3.3077115913 * medium3 + 0.2309699292 * short3,
      grid,
      encoding,
    );
    table[at + 1] = fixedFromLinear(
      -1.2684380046 * long3 + 2.6097574011 * medium3 - 0.3413193965 * short3,
      grid,
      encoding,
    );
    table[at + 2] = fixedFromLinear(
      -0.0041960863 * long3 - 0.7034186147 * medium3 + 1.707614701 * short3,
      grid,
      encoding,
    );
  }
}
