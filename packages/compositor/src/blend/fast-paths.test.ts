/**
 * The kernel's shortcuts — occlusion by opaque `normal` layers, per-row spans trimmed of
 * transparent ends, the lean loops over an opaque backdrop, and the bands shared with workers —
 * against the float64 reference, on inputs built to hit them: opaque backdrops, layers with
 * opaque interiors, soft edges and transparent borders, hanging over every edge.
 */
import { type BlendMode, blendModes } from '@layerloom/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxChannelError, referenceComposite } from '../../test/reference-composite.js';
import { compositeRasters } from '../composite-rasters.js';
import { compositeRastersSync } from '../composite-rasters-sync.js';
import type { Raster } from '../raster.js';
import type { RasterLayer } from '../raster-layer.js';
import { setKernelPath } from './kernel-path.js';

/** A deterministic pseudo-random generator. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
}

/**
 * A layer with random colours whose alpha is 0 on a border `inset` pixels wide, 255 inside a
 * second border, and ramps in between (a matted AI layer in miniature).
 */
function matted(width: number, height: number, seed: number, inset = 2, soft = 3): Raster {
  const random = generator(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = (y * width + x) * 4;
      data[index] = random() * 256;
      data[index + 1] = random() * 256;
      data[index + 2] = random() * 256;
      const edge = Math.min(x, y, width - 1 - x, height - 1 - y) - inset + 1;
      data[index + 3] = edge <= 0 ? 0 : edge > soft ? 255 : Math.round((edge / (soft + 1)) * 255);
    }
  }
  return { width, height, data };
}

/** An opaque raster with random colours. */
function opaque(width: number, height: number, seed: number): Raster {
  const raster = matted(width, height, seed, -1, 0);
  for (let index = 3; index < raster.data.length; index += 4) raster.data[index] = 255;
  return raster;
}

const error = (base: Raster, layers: readonly RasterLayer[]) =>
  maxChannelError(compositeRastersSync(base, layers), referenceComposite(base, layers));

/**
 * Composites on every kernel path (JavaScript, WebAssembly in float64, WebAssembly with its
 * float32 path) and expects the first two to give the same bytes and all three to stay within
 * ±1 of the reference.
 */
function expectAlikeOnEveryPath(base: Raster, layers: readonly RasterLayer[]): void {
  const results = (['js', 'wasm-float64', 'wasm'] as const).map((path) => {
    const previous = setKernelPath(path);
    try {
      return compositeRastersSync(base, layers);
    } finally {
      setKernelPath(previous);
    }
  });
  expect(results[1]!.data).toEqual(results[0]!.data);
  for (const result of results) {
    expect(maxChannelError(result, referenceComposite(base, layers))).toBeLessThanOrEqual(1);
  }
}

describe('occlusion by an opaque normal layer', () => {
  it.each<BlendMode>(blendModes)('%s above an opaque layer is blended onto it', (mode) => {
    const base = opaque(24, 20, 1);
    const layers: RasterLayer[] = [
      { raster: matted(14, 12, 2), left: 3, top: 2, blend: mode, opacity: 0.8 },
      { raster: matted(12, 10, 3), left: 8, top: 6, blend: mode },
      { raster: opaque(16, 14, 4), left: 2, top: 1 },
      { raster: matted(24, 20, 5), blend: 'multiply', opacity: 0.6 },
    ];
    expect(error(base, layers)).toBeLessThanOrEqual(1);
  });

  it('hides what is below: layers beneath an opaque layer do not change the result', () => {
    const base = opaque(10, 8, 6);
    const cover = { raster: opaque(10, 8, 7) };
    const top = { raster: matted(10, 8, 8), blend: 'soft-light' as const };
    const alone = compositeRastersSync(base, [top, cover]);
    const stacked = compositeRastersSync(base, [
      top,
      cover,
      { raster: matted(10, 8, 9), blend: 'screen' },
      { raster: opaque(10, 8, 10), blend: 'difference' },
    ]);
    expect(stacked.data).toEqual(alone.data);
  });

  it('leaves what it hides unread, row after row, on every kernel path', () => {
    // The WebAssembly kernel does not copy pixels a higher layer hides into its row buffer:
    // there the buffer keeps the previous row's pixels. An opaque bar on every other row (and
    // one run too short to count as hidden) makes those stale pixels differ from the real ones.
    const width = 64;
    const base = opaque(width, 12, 11);
    const bars = opaque(40, 12, 12);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 40; x++) {
        const hidden = y % 2 === 0 ? x >= 4 && x < 36 : x >= 10 && x < 14;
        if (!hidden) bars.data[(y * 40 + x) * 4 + 3] = 0;
      }
    }
    const layers: RasterLayer[] = [
      { raster: matted(width, 12, 13, -1, 2), blend: 'multiply', opacity: 0.7 },
      { raster: bars, left: 12 },
      { raster: matted(width, 12, 14, -1, 3), blend: 'screen' },
      { raster: opaque(width, 12, 15), blend: 'soft-light', opacity: 0.5 },
    ];
    expectAlikeOnEveryPath(base, layers);
  });

  it('does not come from an opaque layer with opacity below 1', () => {
    const base = {
      width: 2,
      height: 1,
      data: Uint8ClampedArray.from([0, 0, 0, 255, 0, 0, 0, 255]),
    };
    const result = compositeRastersSync(base, [
      { raster: { width: 2, height: 1, data: new Uint8ClampedArray(8).fill(255) }, opacity: 0.5 },
      {
        raster: {
          width: 2,
          height: 1,
          data: Uint8ClampedArray.from([0, 0, 200, 255, 0, 0, 200, 255]),
        },
      },
    ]);
    // White at 50 % over the opaque blue layer: (127.5, 127.5, 227.5), rounded either way.
    const [red, green, blue, alpha] = result.data;
    expect([red, green, alpha]).toEqual([128, 128, 255]);
    expect(blue! === 227 || blue! === 228).toBe(true);
    expect(result.data.subarray(4)).toEqual(result.data.subarray(0, 4));
    const layers: RasterLayer[] = [
      { raster: matted(10, 8, 11), blend: 'overlay' },
      { raster: opaque(10, 8, 12), opacity: 0.999 },
      { raster: opaque(10, 8, 13), blend: 'hue' },
    ];
    expect(error(opaque(10, 8, 14), layers)).toBeLessThanOrEqual(1);
  });

  it('does not come from an opaque layer in another mode', () => {
    const layers: RasterLayer[] = [
      { raster: opaque(10, 8, 15), blend: 'multiply' },
      { raster: matted(10, 8, 16), blend: 'color-burn', opacity: 0.7 },
    ];
    expect(error(opaque(10, 8, 17), layers)).toBeLessThanOrEqual(1);
  });

  it('does not come from masked-out pixels of an opaque layer', () => {
    const mask = Uint8Array.from({ length: 12 * 10 }, (_, index) =>
      index % 7 === 0 ? 0 : index % 5 === 0 ? 128 : 255,
    );
    const layers: RasterLayer[] = [
      { raster: matted(12, 10, 18), blend: 'luminosity', left: -3 },
      { raster: opaque(12, 10, 19), mask, left: 1, top: -2 },
      { raster: opaque(14, 12, 20), blend: 'exclusion' },
    ];
    expect(error(opaque(12, 10, 21), layers)).toBeLessThanOrEqual(1);
  });
});

describe('row spans', () => {
  it('are trimmed alike on every kernel path: ends under a higher layer, masks, empty rows', () => {
    // The WebAssembly kernel trims a span once the row is staged; a column a higher layer hides
    // is not staged, so from there it reads the layer's own bytes, as the JavaScript kernel does.
    const width = 48;
    const height = 8;
    const base = opaque(width, height, 41);
    const bar = opaque(20, height, 42);
    const rightBar = opaque(18, height, 46);
    const low = matted(width, height, 43, -1, 0);
    const masked = matted(width, height, 44, -1, 0);
    const mask = new Uint8Array(width * height).fill(255);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = y * width + x;
        // Rows 0 and 1: every layer transparent there (the row is the backdrop's).
        const empty = y < 2;
        // Columns 6..10 show under the left bar (columns 2..21), 24..28 between the bars, and
        // 40..44 under the right bar (30..47): both ends of the span are hidden.
        const shows =
          !empty && ((x >= 6 && x <= 10) || (x >= 24 && x <= 28) || (x >= 40 && x <= 44));
        low.data[at * 4 + 3] = shows ? 100 + x : 0;
        // The masked layer: opaque, but its mask is 0 outside 4..14 and 20..44.
        masked.data[at * 4 + 3] = empty ? 0 : 255;
        mask[at] = (x >= 4 && x <= 14) || (x >= 20 && x <= 44) ? 200 : 0;
      }
      for (let x = 0; x < 20; x++) if (y < 2) bar.data[(y * 20 + x) * 4 + 3] = 0;
      for (let x = 0; x < 18; x++) if (y < 2) rightBar.data[(y * 18 + x) * 4 + 3] = 0;
    }
    const layers: RasterLayer[] = [
      { raster: bar, left: 2 },
      { raster: rightBar, left: 30 },
      { raster: low, blend: 'multiply' },
      { raster: masked, blend: 'screen', mask, opacity: 0.8 },
      { raster: matted(width, height, 45, 3, 2), blend: 'darken' },
    ];
    expectAlikeOnEveryPath(base, layers);
  });

  it('clip layers hanging over every edge, with transparent borders', () => {
    const base = opaque(20, 16, 22);
    const layers: RasterLayer[] = [
      { raster: matted(12, 10, 23, 3), left: -6, top: -5, blend: 'screen', opacity: 0.9 },
      { raster: matted(12, 10, 24, 0), left: 14, top: 11, blend: 'multiply' },
      { raster: matted(30, 6, 25, 1, 1), left: -5, top: 5 },
      { raster: matted(6, 30, 26, 2, 2), left: 7, top: -7, blend: 'soft-light', opacity: 0.5 },
      { raster: opaque(8, 8, 27), left: -4, top: 12 },
    ];
    expect(error(base, layers)).toBeLessThanOrEqual(1);
  });

  it('skip layers whose rows are transparent here and opaque there', () => {
    const raster = matted(10, 10, 28, 4, 1);
    // Make the top half fully transparent, including its interior.
    raster.data.fill(0, 0, 10 * 5 * 4);
    const layers: RasterLayer[] = [
      { raster, blend: 'color-dodge' },
      { raster, left: 3, blend: 'normal' },
    ];
    expect(error(opaque(12, 10, 29), layers)).toBeLessThanOrEqual(1);
  });

  it('fall back to the general path on rows whose backdrop is not opaque', () => {
    const base = opaque(12, 10, 30);
    // One translucent backdrop pixel on rows 3 and 7, others opaque.
    base.data[(3 * 12 + 5) * 4 + 3] = 100;
    base.data[(7 * 12 + 11) * 4 + 3] = 0;
    const layers: RasterLayer[] = [
      { raster: matted(12, 10, 31, 1, 2), blend: 'soft-light', opacity: 0.8 },
      { raster: opaque(6, 10, 32), left: 6 },
      { raster: matted(12, 10, 33, 0, 2), blend: 'saturation' },
    ];
    expect(error(base, layers)).toBeLessThanOrEqual(1);
  });
});

const mode = fc.constantFrom<BlendMode>(...blendModes);

const sceneLayer = fc.record({
  width: fc.integer({ min: 1, max: 14 }),
  height: fc.integer({ min: 1, max: 14 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  inset: fc.integer({ min: -1, max: 3 }),
  soft: fc.integer({ min: 0, max: 3 }),
  left: fc.integer({ min: -8, max: 12 }),
  top: fc.integer({ min: -8, max: 12 }),
  blend: fc.oneof(fc.constant<BlendMode>('normal'), mode),
  opacity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  masked: fc.integer({ min: 0, max: 3 }),
});

describe('the fast paths against the float64 reference', () => {
  it('are within ±1 on opaque backdrops with matted, opaque and masked layers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(sceneLayer, { minLength: 1, maxLength: 5 }),
        (baseSeed, specs) => {
          const base = opaque(12, 10, baseSeed);
          const layers = specs.map((spec): RasterLayer => {
            const raster = matted(spec.width, spec.height, spec.seed, spec.inset, spec.soft);
            const random = generator(spec.seed + 1);
            const layer: RasterLayer = {
              raster,
              left: spec.left,
              top: spec.top,
              blend: spec.blend,
              opacity: spec.opacity,
            };
            if (spec.masked !== 1) return layer;
            const mask = Uint8Array.from({ length: spec.width * spec.height }, () =>
              random() < 0.6 ? 255 : random() < 0.5 ? 0 : random() * 256,
            );
            return { ...layer, mask };
          });
          expect(error(base, layers)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('bands on worker threads', () => {
  it('give the same bytes as the calling thread when the canvas is cut into many bands', async () => {
    const base = opaque(700, 700, 34);
    const layers: RasterLayer[] = [
      { raster: matted(500, 400, 35, 20, 10), left: -50, top: 100, blend: 'soft-light' },
      { raster: matted(600, 600, 36, 30, 8), left: 150, top: -40, opacity: 0.7 },
      { raster: opaque(400, 500, 37), left: 200, top: 150 },
      { raster: matted(700, 300, 38, 10, 5), top: 420, blend: 'hue' },
    ];
    // Compared as buffers: a deep equality over 2 million bytes would take long.
    const bytes = (raster: Raster) => Buffer.from(raster.data.buffer, raster.data.byteOffset);
    const expected = bytes(compositeRastersSync(base, layers));
    for (const threads of [2, 3]) {
      const parallel = await compositeRasters(base, layers, { parallelThreshold: 0, threads });
      expect(bytes(parallel).equals(expected)).toBe(true);
    }
  });
});
