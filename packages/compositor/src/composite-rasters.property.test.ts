import { type BlendMode, blendModes } from '@layerloom/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxChannelError, referenceComposite } from '../test/reference-composite.js';
import { type KernelPath, setKernelPath } from './blend/kernel-path.js';
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

describe.each(['wasm', 'wasm-float64', 'js'] as const)('with the %s kernel', (path) => {
  let previous: KernelPath = 'auto';
  beforeAll(() => {
    previous = setKernelPath(path);
  });
  afterAll(() => {
    setKernelPath(previous);
  });

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
});

/** An opaque backdrop and layers in the modes of the float32 fast path, with masks. */
const leanScene = raster(6).chain((base) =>
  fc.record({
    base: fc.constant({
      ...base,
      data: base.data.map((value, index) => (index % 4 === 3 ? 255 : value)),
    }),
    layers: fc.array(
      layer(6).chain((sceneLayer) =>
        fc
          .constantFrom<BlendMode>('normal', 'multiply', 'screen', 'soft-light')
          .map((blend) => ({ ...sceneLayer, blend })),
      ),
      { minLength: 1, maxLength: 5 },
    ),
  }),
);

describe('the WebAssembly and JavaScript kernels', () => {
  afterAll(() => {
    setKernelPath('auto');
  });

  it('write transparent black where alpha rounds to 0, even from a subnormal opacity', () => {
    const base = {
      width: 2,
      height: 1,
      data: Uint8ClampedArray.from([78, 0, 57, 47, 5, 12, 34, 0]),
    };
    const layer = {
      raster: { width: 2, height: 1, data: Uint8ClampedArray.from([67, 70, 211, 209, 9, 9, 9, 9]) },
      opacity: 6.3e-322,
    };
    for (const path of ['js', 'wasm-float64', 'wasm'] as const) {
      setKernelPath(path);
      expect([...compositeRastersSync(base, [layer]).data]).toEqual([78, 0, 57, 47, 0, 0, 0, 0]);
    }
  });

  it('give the same bytes in float64, for every mode, with partial alpha on both sides', () => {
    fc.assert(
      fc.property(scene, ({ base, layers }) => {
        setKernelPath('js');
        const fallback = compositeRastersSync(base, clean(layers));
        setKernelPath('wasm-float64');
        const simd = compositeRastersSync(base, clean(layers));
        expect(simd.data).toEqual(fallback.data);
      }),
      { numRuns: 600 },
    );
  });

  it('differ by at most 1 on the float32 fast path, and stay within ±1 of the reference', () => {
    fc.assert(
      fc.property(leanScene, ({ base, layers }) => {
        setKernelPath('js');
        const fallback = compositeRastersSync(base, clean(layers));
        setKernelPath('wasm');
        const fast = compositeRastersSync(base, clean(layers));
        expect(maxChannelError(fast, fallback)).toBeLessThanOrEqual(1);
        expect(maxChannelError(fast, referenceComposite(base, clean(layers)))).toBeLessThanOrEqual(
          1,
        );
      }),
      { numRuns: 600 },
    );
  });

  it('give the same bytes on worker threads as on the calling thread, each path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(scene, leanScene), async ({ base, layers }) => {
        for (const path of ['js', 'wasm-float64', 'wasm'] as const) {
          setKernelPath(path);
          const expected = compositeRastersSync(base, clean(layers)).data;
          const parallel = await compositeRasters(base, clean(layers), {
            parallelThreshold: 0,
            threads: 2,
          });
          expect(parallel.data).toEqual(expected);
        }
      }),
      { numRuns: 20 },
    );
  });
});
