import { formatPath, harmonyReferences, type Layer, ValidationError } from '@layerloom/core';
import type { Raster } from '../raster.js';
import { type ColorStatistics, colorStatistics, paletteStatistics } from './color-statistics.js';
import { harmonizeRaster } from './harmonize-raster.js';

/** One layer of {@link harmonizeLayers}: its definition and its matted pixels. */
export interface HarmonyEntry {
  /** The layer; its `harmonize` says what to match. */
  readonly layer: Pick<Layer, 'id' | 'harmonize'>;
  /** Its pixels after the matte (straight alpha). */
  readonly raster: Raster;
}

/**
 * The harmony stage of the compositor: matches every layer that has `harmonize` to its
 * reference layer (as harmonized itself, so references resolve in order) or its palette.
 * Statistics are alpha-weighted, so a cut-out's transparent background does not count.
 *
 * @example
 * ```ts
 * const rasters = harmonizeLayers([
 *   { layer: { id: 'hero', harmonize: { to: 'scene', amount: 0.6 } }, raster: hero },
 *   { layer: { id: 'scene' }, raster: scene },
 * ]);
 * ```
 *
 * @param entries - the layers, first on top, with their matted rasters.
 * @param pathOf - where layer `index` is in the caller's input, for messages.
 * @returns the rasters, in the same order (unchanged ones are the same objects).
 * @throws {ValidationError} naming the layer and field for an unknown reference, a layer
 *   matched to itself, a cycle of references or an amount outside 0..1.
 */
export function harmonizeLayers(
  entries: readonly HarmonyEntry[],
  pathOf: (index: number) => readonly (string | number)[] = (index) => ['layers', index],
): Raster[] {
  const { effective, order, issues } = harmonyReferences(
    entries.map((entry) => entry.layer),
    { pathOf },
  );
  if (issues.length > 0) {
    throw new ValidationError(
      issues.map((issue) => ({
        path: issue.path,
        message: `\`${formatPath(issue.path)}\`: ${issue.message}`,
      })),
      { subject: 'harmony' },
    );
  }
  const rasters = entries.map((entry) => entry.raster);
  const statistics = new Map<number, ColorStatistics>();
  const statisticsOf = (index: number) => {
    let known = statistics.get(index);
    if (known === undefined) {
      known = colorStatistics(rasters[index]!);
      statistics.set(index, known);
    }
    return known;
  };
  const positions = new Map(entries.map((entry, index) => [entry.layer.id, index]));
  for (const index of order) {
    const harmony = effective[index]!;
    const target =
      typeof harmony.to === 'string'
        ? statisticsOf(positions.get(harmony.to)!)
        : paletteStatistics(harmony.to.palette);
    rasters[index] = harmonizeRaster(rasters[index]!, {
      target,
      source: statisticsOf(index),
      ...(harmony.amount === undefined ? {} : { amount: harmony.amount }),
      ...(harmony.mode === undefined ? {} : { mode: harmony.mode }),
    });
    statistics.delete(index);
  }
  return rasters;
}
