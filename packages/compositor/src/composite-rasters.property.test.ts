import { type BlendMode, blendModes } from '@layerloom/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxChannelError, referenceComposite } from '../test/reference-composite.js';
import { compositeRasters } from './composite-rasters.js';
import { compositeRastersSync } from './composite-rasters-sync.js';
import type { Raster } from './raster.js';
import type { RasterLayer } from './raster-layer.js';

/** Bytes biased to the values where blend modes have edges (0, 127/128, 255). */
const byte = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 127, 128, 254, 255) },
);

const raster = (maxSide: number) =>
  fc
    .record({
      width: fc.integer({ min: 1, max: maxSide }),
      height: fc.integer({ min: 1, max: maxSide }),
    })
    .chain(({ width, height }) =>
      fc
        .array(byte, { minLength: width * height * 4, maxLength: width * height * 4 })
        .map((bytes): Raster => ({ width, height, data: Uint8ClampedArray.from(bytes) })),
    );

const layer = (canvas: number) =>
  raster(6).chain((layerRaster) =>
    fc.record({
      raster: fc.constant(layerRaster),
      left: fc.integer({ min: -4, max: canvas }),
      top: fc.integer({ min: -4, max: canvas }),
      blend: fc.constantFrom<BlendMode>(...blendModes),
      opacity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
      mask: fc.option(
        fc
          .array(byte, {
            minLength: layerRaster.width * layerRaster.height,
            maxLength: layerRaster.width * layerRaster.height,
          })
          .map((bytes) => Uint8Array.from(bytes)),
        { nil: undefined },
      ),
    }),
  );

const scene = raster(6).chain((base) =>
  fc.record({
    base: fc.constant(base),
    layers: fc.array(layer(6), { minLength: 0, maxLength: 4 }),
  }),
);

const clean = (layers: readonly RasterLayer[]): RasterLayer[] =>
  layers.map(({ mask, ...rest }) => (mask === undefined ? rest : { ...rest, mask }));

describe('compositeRasters against the float64 reference', () => {
  it('is within ±1 per channel for every mode, with partial alpha on both sides', () => {
    fc.assert(
      fc.property(scene, ({ base, layers }) => {
        const actual = compositeRastersSync(base, clean(layers));
        expect(
          maxChannelError(actual, referenceComposite(base, clean(layers))),
        ).toBeLessThanOrEqual(1);
      }),
      { numRuns: 600 },
    );
  });

  it('is the same on worker threads as on the calling thread', async () => {
    await fc.assert(
      fc.asyncProperty(scene, async ({ base, layers }) => {
        const parallel = await compositeRasters(base, clean(layers), {
          parallelThreshold: 0,
          threads: 3,
        });
        expect(parallel.data).toEqual(compositeRastersSync(base, clean(layers)).data);
      }),
      { numRuns: 40 },
    );
  });
});
