import { availableParallelism } from 'node:os';
import {
  describeValue,
  formatPath,
  type HarmonyMode,
  harmonyReferences,
  type Layer,
  ValidationError,
} from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import type { Raster } from '../raster.js';
import { type ColorStatistics, colorStatistics, paletteStatistics } from './color-statistics.js';
import { harmonizeRaster, harmonyParameters } from './harmonize-raster.js';
import { harmonizeShared, isShared, sharedColorStatistics } from './harmonize-shared.js';
import { harmonyWorkerPool } from './share-harmony-bands.js';

/** One layer of {@link harmonizeLayers}: its definition and its matted pixels. */
export interface HarmonyEntry {
  /** The layer; its `harmonize` says what to match. */
  readonly layer: Pick<Layer, 'id' | 'harmonize'>;
  /** Its pixels after the matte (straight alpha). */
  readonly raster: Raster;
}

/** Options of {@link harmonizeLayers}. */
export interface HarmonizeLayersOptions {
  /**
   * Threads to share each layer's rows across, the calling one included; `1` keeps it all on
   * the calling thread. Same bytes either way. @default os.availableParallelism()
   */
  readonly threads?: number;
}

/** Layers smaller than this (in pixels) are done on the calling thread alone. */
const parallelThreshold = 1 << 18;

type PathOf = (index: number) => readonly (string | number)[];

const defaultPathOf: PathOf = (index) => ['layers', index];

/** Each layer's effective harmony and the order to run them in; throws on bad references. */
function resolveHarmony(entries: readonly HarmonyEntry[], pathOf: PathOf) {
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
  const positions = new Map(entries.map((entry, index) => [entry.layer.id, index]));
  const steps = order.map((index) => {
    const harmony = effective[index]!;
    return {
      index,
      reference: typeof harmony.to === 'string' ? positions.get(harmony.to)! : undefined,
      palette: typeof harmony.to === 'string' ? undefined : harmony.to.palette,
      options: {
        ...(harmony.amount === undefined ? {} : { amount: harmony.amount }),
        ...(harmony.mode === undefined ? {} : { mode: harmony.mode as HarmonyMode }),
      },
    };
  });
  return steps;
}

/**
 * {@link harmonizeLayers} on the calling thread alone: the same bytes, synchronously.
 *
 * @param entries - the layers, first on top, with their matted rasters.
 * @param pathOf - where layer `index` is in the caller's input, for messages.
 * @returns the rasters, in the same order (unchanged ones are the same objects).
 * @throws {ValidationError} as {@link harmonizeLayers} does.
 */
export function harmonizeLayersSync(
  entries: readonly HarmonyEntry[],
  pathOf: PathOf = defaultPathOf,
): Raster[] {
  const steps = resolveHarmony(entries, pathOf);
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
  for (const { index, reference, palette, options } of steps) {
    const target = reference === undefined ? paletteStatistics(palette!) : statisticsOf(reference);
    rasters[index] = harmonizeRaster(rasters[index]!, {
      target,
      source: statisticsOf(index),
      ...options,
    });
    statistics.delete(index);
  }
  return rasters;
}

/**
 * The harmony stage of the compositor: matches every layer that has `harmonize` to its
 * reference layer (as harmonized itself, so references resolve in order) or its palette.
 * Statistics are alpha-weighted, so a cut-out's transparent background does not count.
 *
 * Large layers are cut into bands of rows that worker threads (the compositor's band worker
 * pool, running the harmony kernel) and the calling thread share, both for the statistics and
 * for the table pass; every step is exact or integer arithmetic, so the bytes are the same
 * whatever the threads (and the same as {@link harmonizeLayersSync}). Harmonized layers that
 * took that path hold their bytes in shared memory.
 *
 * @example
 * ```ts
 * const rasters = await harmonizeLayers([
 *   { layer: { id: 'hero', harmonize: { to: 'scene', amount: 0.6 } }, raster: hero },
 *   { layer: { id: 'scene' }, raster: scene },
 * ]);
 * ```
 *
 * @param entries - the layers, first on top, with their matted rasters.
 * @param pathOf - where layer `index` is in the caller's input, for messages.
 * @param options - `threads`.
 * @returns the rasters, in the same order (unchanged ones are the same objects).
 * @throws {ValidationError} naming the layer and field for an unknown reference, a layer
 *   matched to itself, a cycle of references, an amount outside 0..1 or bad `threads`.
 */
export async function harmonizeLayers(
  entries: readonly HarmonyEntry[],
  pathOf: PathOf = defaultPathOf,
  options: HarmonizeLayersOptions = {},
): Promise<Raster[]> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw ValidationError.field(
      ['threads'],
      `Expected \`threads\` to be an integer from 1 to 256, got ${describeValue(threads)}`,
      'options',
    );
  }
  const steps = resolveHarmony(entries, pathOf);
  const shares = (raster: Raster) => {
    assertRaster(raster, ['raster']);
    return (
      threads > 1 &&
      harmonyWorkerPool().available &&
      raster.width * raster.height >= parallelThreshold
    );
  };
  const rasters = entries.map((entry) => entry.raster);
  const statistics = new Map<number, ColorStatistics>();
  const statisticsOf = async (index: number) => {
    let known = statistics.get(index);
    if (known === undefined) {
      const raster = rasters[index]!;
      // Sampled (at most 2¹⁸ pixels): worth sharing only when no copy to shared memory is needed.
      known =
        shares(raster) && isShared(raster)
          ? await sharedColorStatistics(raster, threads)
          : colorStatistics(raster);
      statistics.set(index, known);
    }
    return known;
  };
  for (const { index, reference, palette, options: harmony } of steps) {
    const raster = rasters[index]!;
    const target =
      reference === undefined ? paletteStatistics(palette!) : await statisticsOf(reference);
    if (!shares(raster)) {
      rasters[index] = harmonizeRaster(raster, {
        target,
        source: await statisticsOf(index),
        ...harmony,
      });
    } else {
      const { amount, mode } = harmonyParameters(raster, { target, ...harmony });
      const source = await statisticsOf(index);
      const data = new Uint8ClampedArray(new SharedArrayBuffer(raster.data.length));
      const output = { width: raster.width, height: raster.height, data };
      rasters[index] = output;
      await harmonizeShared(raster, output, { source, target, amount, mode }, threads);
    }
    statistics.delete(index);
  }
  return rasters;
}
