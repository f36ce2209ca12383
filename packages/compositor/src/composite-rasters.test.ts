import type { BlendMode } from '@layerloom/core';
import { isLayerloomError, ValidationError } from '@layerloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KernelPath, setKernelPath, usesWasmKernel } from './blend/kernel-path.js';
import { colorBurn, colorDodge, softLight } from './blend/math/separable-blend.js';
import { compositeRasters } from './composite-rasters.js';
import { compositeRastersSync } from './composite-rasters-sync.js';
import type { Raster } from './raster.js';
import type { RasterLayer } from './raster-layer.js';

/** A raster of one repeated pixel. */
function solid(width: number, height: number, pixel: readonly number[]): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < data.length; index += 4) data.set(pixel, index);
  return { width, height, data };
}

/** A 1×3 raster: three pixels side by side. */
function row(...pixels: (readonly number[])[]): Raster {
  return { width: pixels.length, height: 1, data: Uint8ClampedArray.from(pixels.flat()) };
}

const pixels = (raster: Raster) => {
  const result: number[][] = [];
  for (let index = 0; index < raster.data.length; index += 4) {
    result.push([...raster.data.subarray(index, index + 4)]);
  }
  return result;
};

const one = (base: Raster, layer: RasterLayer) => pixels(compositeRastersSync(base, [layer]));

// Backdrop and source, both opaque: the result is B(Cb, Cs) × 255, rounded. Expected values
// worked out by hand from the formulas of reference/blending.md §3–4.
const kernelPaths = ['wasm', 'wasm-float64', 'js'] as const;

const backdrop = row([200, 0, 0, 255], [64, 0, 0, 255], [128, 0, 0, 255]);
const source = row([64, 0, 0, 255], [200, 0, 0, 255], [128, 0, 0, 255]);

// Every hand-computed case on every kernel path: WebAssembly with its float32 fast path, WebAssembly
// in float64 only, and the JavaScript fallback.
describe.each(kernelPaths)('with the %s kernel', (path) => {
  let previous: KernelPath = 'auto';
  beforeAll(() => {
    previous = setKernelPath(path);
  });
  afterAll(() => {
    setKernelPath(previous);
  });

  it('runs the kernel asked for', () => {
    expect(usesWasmKernel()).toBe(path !== 'js');
  });

  describe('separable blend modes, opaque on opaque (red channel of three pixels)', () => {
    it.each<[BlendMode, [number, number, number]]>([
      ['normal', [64, 200, 128]],
      ['multiply', [50, 50, 64]], // 200·64/255 = 50.2; 128·128/255 = 64.25
      ['screen', [214, 214, 192]], // 200 + 64 − 50.2 = 213.8
      ['overlay', [173, 100, 128]], // Cb > .5: 255 − 2·55·191/255 = 172.6; Cb ≤ .5: 2·64·200/255
      ['darken', [64, 64, 128]],
      ['lighten', [200, 200, 128]],
      ['color-burn', [36, 11, 2]], // 1 − (1 − Cb)/Cs: 1 − (55/255)/(64/255) = .1406
      ['hard-light', [100, 173, 128]], // overlay with the arguments swapped
      ['soft-light', [179, 100, 128]], // Cs ≤ .5: Cb − (1 − 2Cs)·Cb·(1 − Cb); Cs > .5 uses D(Cb)
      ['difference', [136, 136, 0]],
      ['exclusion', [164, 164, 127]], // Cb + Cs − 2·Cb·Cs = 163.6
    ])('%s', (mode, expected) => {
      const result = one(backdrop, { raster: source, blend: mode });
      expect(result.map((pixel) => pixel[0])).toEqual(expected);
      expect(result.map((pixel) => pixel[3])).toEqual([255, 255, 255]);
    });

    it('color-dodge: Cb / (1 − Cs), clamped, and Cb = 0 wins over Cs = 1', () => {
      const result = one(row([50, 0, 0, 255], [64, 0, 0, 255], [0, 0, 0, 255]), {
        raster: row([128, 0, 0, 255], [255, 0, 0, 255], [255, 0, 0, 255]),
        blend: 'color-dodge',
      });
      // 50/127 · 255 = 100.4; Cs = 1 → 1; Cb = 0 and Cs = 1 → 0 (libvips gives 255 here).
      expect(result.map((pixel) => pixel[0])).toEqual([100, 255, 0]);
    });

    it('color-burn: Cb = 1 wins over Cs = 0', () => {
      const result = one(row([255, 0, 0, 255], [200, 0, 0, 255]), {
        raster: row([0, 0, 0, 255], [0, 0, 0, 255]),
        blend: 'color-burn',
      });
      expect(result.map((pixel) => pixel[0])).toEqual([255, 0]);
    });

    it('keeps the spec edge rules on float noise around 0 and 1', () => {
      expect(colorDodge(1e-15, 1)).toBe(0);
      expect(colorDodge(1e-9, 1)).toBe(1);
      expect(colorBurn(1 - 1e-15, 0)).toBe(1);
      expect(colorBurn(1 - 1e-9, 0)).toBe(0);
    });

    it('uses ≤ 0.5 thresholds: both branches meet at 0.5, and 127 / 128 fall on either side', () => {
      expect(softLight(0.3, 0.5)).toBeCloseTo(0.3, 15);
      // Cs = 127/255 < .5 takes the first branch, 128/255 > .5 the D() branch.
      const below = softLight(0.2, 127 / 255);
      const above = softLight(0.2, 128 / 255);
      expect(below).toBeCloseTo(0.2 - (1 - 254 / 255) * 0.2 * 0.8, 12);
      const d = ((16 * 0.2 - 12) * 0.2 + 4) * 0.2;
      expect(above).toBeCloseTo(0.2 + (256 / 255 - 1) * (d - 0.2), 12);
      const hardLight = one(row([100, 0, 0, 255], [100, 0, 0, 255]), {
        raster: row([127, 0, 0, 255], [128, 0, 0, 255]),
        blend: 'hard-light',
      });
      // 2·(127/255)·(100/255) = 99.6; 1 − 2·(127/255)·(155/255) = 100.6
      expect(hardLight.map((pixel) => pixel[0])).toEqual([100, 101]);
    });
  });

  describe('non-separable blend modes, opaque on opaque', () => {
    const base = row([200, 64, 128, 255]);
    const layer = row([30, 180, 90, 255]);
    it.each<[BlendMode, number[]]>([
      ['hue', [26, 162, 80, 255]], // SetLum(SetSat(Cs, Sat(Cb)), Lum(Cb))
      ['saturation', [209, 59, 130, 255]], // SetLum(SetSat(Cb, Sat(Cs)), Lum(Cb))
      ['color', [17, 167, 77, 255]], // SetLum(Cs, Lum(Cb))
      ['luminosity', [213, 77, 141, 255]], // SetLum(Cb, Lum(Cs))
    ])('%s', (mode, expected) => {
      expect(one(base, { raster: layer, blend: mode })[0]).toEqual(expected);
    });

    it('treats a grey backdrop as having no saturation', () => {
      expect(
        one(row([90, 90, 90, 255]), { raster: row([10, 200, 60, 255]), blend: 'saturation' })[0],
      ).toEqual([90, 90, 90, 255]);
    });
  });

  describe('source-over with partial alpha', () => {
    it('50 % white multiply over grey 128 stays 128 (sharp gives 96)', () => {
      expect(
        one(solid(1, 1, [128, 128, 128, 255]), {
          raster: solid(1, 1, [255, 255, 255, 128]),
          blend: 'multiply',
        })[0],
      ).toEqual([128, 128, 128, 255]);
    });

    it('blue at 50 % over red at 50 %: the spec example', () => {
      // αo = .502 + .502 × .498 = .752 → 192; Co = (.25/.752, 0, .502/.752)
      expect(
        one(solid(1, 1, [255, 0, 0, 128]), { raster: solid(1, 1, [0, 0, 255, 128]) })[0],
      ).toEqual([85, 0, 170, 192]);
    });

    it('multiply with alpha on both sides and an opacity', () => {
      // αb = .6, αs = .4 × .5 = .2: αo = .2 + .6 × .8 = .68 → 173.4
      // αo·Co = αs(1 − αb)·Cs + αs·αb·Cb·Cs + (1 − αs)·αb·Cb
      expect(
        one(solid(1, 1, [200, 64, 128, 153]), {
          raster: solid(1, 1, [64, 200, 128, 102]),
          blend: 'multiply',
          opacity: 0.5,
        })[0],
      ).toEqual([158, 78, 117, 173]);
    });

    it('leaves a transparent backdrop to the source colour in every mode', () => {
      for (const mode of ['multiply', 'difference', 'hue', 'color-burn'] as const) {
        expect(
          one(solid(1, 1, [0, 0, 0, 0]), {
            raster: solid(1, 1, [10, 20, 30, 255]),
            blend: mode,
          })[0],
        ).toEqual([10, 20, 30, 255]);
      }
    });

    it('gives fully transparent pixels where nothing shows', () => {
      expect(one(solid(1, 1, [0, 0, 0, 0]), { raster: solid(1, 1, [10, 20, 30, 0]) })[0]).toEqual([
        0, 0, 0, 0,
      ]);
    });
  });

  describe('layers', () => {
    it('are top-first', () => {
      const result = compositeRastersSync(solid(1, 1, [0, 0, 0, 255]), [
        { raster: solid(1, 1, [255, 0, 0, 255]) },
        { raster: solid(1, 1, [0, 255, 0, 255]) },
      ]);
      expect(pixels(result)[0]).toEqual([255, 0, 0, 255]);
    });

    it('scale alpha by opacity and by the mask', () => {
      const result = compositeRastersSync(solid(3, 1, [0, 0, 0, 255]), [
        {
          raster: solid(3, 1, [255, 255, 255, 255]),
          opacity: 0.5,
          mask: Uint8Array.from([255, 0, 51]),
        },
      ]);
      expect(pixels(result).map((pixel) => pixel[0])).toEqual([128, 0, 26]);
    });

    it('are clipped at every edge, offsets may be negative', () => {
      const base = solid(4, 3, [0, 0, 0, 255]);
      const layer = solid(3, 2, [255, 255, 255, 255]);
      const result = compositeRastersSync(base, [
        { raster: layer, left: -2, top: -1 },
        { raster: layer, left: 3, top: 2 },
      ]);
      expect(pixels(result).map((pixel) => pixel[0])).toEqual([
        255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255,
      ]);
    });

    it('ignore layers off the canvas or fully transparent by opacity', () => {
      const base = solid(2, 2, [9, 9, 9, 255]);
      const result = compositeRastersSync(base, [
        { raster: solid(2, 2, [255, 0, 0, 255]), left: 5 },
        { raster: solid(2, 2, [255, 0, 0, 255]), opacity: 0 },
      ]);
      expect(result.data).toEqual(base.data);
      expect(result.data).not.toBe(base.data);
    });

    it('never modify their inputs', async () => {
      const base = solid(8, 8, [10, 20, 30, 200]);
      const layer = solid(5, 5, [200, 100, 50, 100]);
      const mask = new Uint8Array(25).fill(128);
      const copies = [
        new Uint8ClampedArray(base.data),
        new Uint8ClampedArray(layer.data),
        new Uint8Array(mask),
      ];
      const layers: RasterLayer[] = [
        { raster: layer, left: 2, top: 2, blend: 'overlay', opacity: 0.5, mask },
      ];
      compositeRastersSync(base, layers);
      await compositeRasters(base, layers, { parallelThreshold: 0 });
      expect([base.data, layer.data, mask]).toEqual(copies);
    });

    it('give back shared memory from compositeRasters and an ArrayBuffer from the sync call', async () => {
      const base = solid(64, 64, [10, 20, 30, 255]);
      const layers: RasterLayer[] = [{ raster: solid(40, 40, [200, 100, 50, 128]), left: 8 }];
      const small = await compositeRasters(base, layers);
      const split = await compositeRasters(base, layers, { parallelThreshold: 0, threads: 2 });
      const sync = compositeRastersSync(base, layers);
      expect(small.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(split.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(sync.data.buffer).toBeInstanceOf(ArrayBuffer);
      expect(small.data).toEqual(sync.data);
      expect(split.data).toEqual(sync.data);
      // A result can be a layer or a base again, without a copy for the workers.
      const again = await compositeRasters(split, [{ raster: small }], { parallelThreshold: 0 });
      expect(again.data).toEqual(compositeRastersSync(sync, [{ raster: sync }]).data);
    });

    it('write into a given output, every byte of it, on the calling thread and on workers', async () => {
      const base = solid(96, 80, [10, 20, 30, 255]);
      const layers: RasterLayer[] = [
        { raster: solid(40, 30, [200, 100, 50, 128]), left: 8, top: 4, blend: 'multiply' },
        { raster: solid(50, 70, [0, 0, 0, 0]), left: 30 },
        { raster: solid(90, 20, [90, 200, 10, 255]), left: -10, top: 50, opacity: 0.6 },
      ];
      const expected = compositeRastersSync(base, layers).data;
      for (const options of [{ threads: 1 }, { threads: 2, parallelThreshold: 0 }]) {
        // Garbage in the memory given: the composite must overwrite it all.
        const output = new Uint8ClampedArray(new SharedArrayBuffer(96 * 80 * 4)).fill(0xab);
        const result = await compositeRasters(base, layers, { ...options, output });
        expect(result.data).toBe(output);
        expect(result.data).toEqual(expected);
        // Again into the same memory, as a batch would.
        const again = await compositeRasters(base, layers.slice(1), { ...options, output });
        expect(again.data).toEqual(compositeRastersSync(base, layers.slice(1)).data);
      }
      const empty = new Uint8ClampedArray(new SharedArrayBuffer(96 * 80 * 4)).fill(7);
      expect((await compositeRasters(base, [], { output: empty })).data).toEqual(base.data);
    });

    it('read views that do not start on a 4-byte boundary', () => {
      const bytes = new Uint8ClampedArray(1 + 16);
      bytes.set([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255], 1);
      const layer = { width: 2, height: 2, data: bytes.subarray(1) };
      const result = compositeRastersSync(solid(2, 2, [0, 0, 0, 255]), [{ raster: layer }]);
      expect(result.data).toEqual(layer.data);
    });
  });
});

describe('bad input', () => {
  const base = solid(2, 2, [0, 0, 0, 255]);
  const raster = solid(2, 2, [255, 255, 255, 255]);
  const cases: [string, unknown, unknown, string][] = [
    [
      'wrong data length',
      { width: 2, height: 2, data: new Uint8ClampedArray(15) },
      [],
      'Expected `base.data` to be a Uint8ClampedArray of 2 × 2 × 4 = 16 bytes, got 15 bytes',
    ],
    [
      'data of another type',
      base,
      [{ raster: { width: 2, height: 2, data: new Uint8Array(16) } }],
      'Expected `layers[0].raster.data` to be a Uint8ClampedArray of 2 × 2 × 4 = 16 bytes, got a Uint8Array',
    ],
    [
      'a fractional width',
      { ...base, width: 1.5 },
      [],
      'Expected `base.width` to be an integer from 1 to 65535, got `1.5` (number)',
    ],
    [
      'NaN opacity',
      base,
      [{ raster, opacity: Number.NaN }],
      'Expected `layers[0].opacity` to be a number from 0 to 1, got `NaN` (number)',
    ],
    [
      'opacity above 1',
      base,
      [{ raster, opacity: 3 }],
      'Expected `layers[0].opacity` to be a number from 0 to 1, got `3` (number)',
    ],
    [
      'an unknown mode',
      base,
      [{ raster }, { raster, blend: 'dodge' }],
      'Expected `layers[1].blend` to be a W3C blend mode',
    ],
    [
      'a mask of the wrong size',
      base,
      [{ raster, mask: new Uint8Array(3) }],
      'Expected `layers[0].mask` to be a Uint8Array of one byte per layer pixel (2 × 2 = 4), got 3 bytes',
    ],
    [
      'a fractional offset',
      base,
      [{ raster, left: 0.5 }],
      'Expected `layers[0].left` to be an integer number of pixels, got `0.5` (number)',
    ],
    [
      'layers that are not an array',
      base,
      { raster },
      'Expected `layers` to be an array of layers, got an object',
    ],
  ];

  it.each(cases)('%s is a ValidationError naming the field', (_, badBase, badLayers, message) => {
    const run = () => compositeRastersSync(badBase as Raster, badLayers as RasterLayer[]);
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect(isLayerloomError(error)).toBe(true);
      expect((error as ValidationError).code).toBe('validation_error');
    }
  });

  it('rejects the async call the same way, and bad options', async () => {
    await expect(compositeRasters(base, [{ raster, opacity: Number.NaN }])).rejects.toThrow(
      ValidationError,
    );
    await expect(compositeRasters(base, [], { threads: 0 })).rejects.toThrow(
      'Expected `threads` to be an integer from 1 to 256, got `0` (number)',
    );
    await expect(compositeRasters(base, [], { parallelThreshold: Number.NaN })).rejects.toThrow(
      ValidationError,
    );
  });

  it('rejects an output of the wrong kind, size or place, naming what was expected', async () => {
    const bytes = base.width * base.height * 4;
    const expected = `Expected \`output\` to be a Uint8ClampedArray of ${bytes} bytes (${base.width}×${base.height} RGBA) on a SharedArrayBuffer, starting on a 4-byte boundary, got`;
    const shared = (length: number) => new Uint8ClampedArray(new SharedArrayBuffer(length));
    for (const [output, got] of [
      [new Uint8ClampedArray(bytes), `${bytes} bytes on an ArrayBuffer at offset 0`],
      [shared(bytes + 4), `${bytes + 4} bytes on a SharedArrayBuffer at offset 0`],
      [shared(bytes + 1).subarray(1), `${bytes} bytes on a SharedArrayBuffer at offset 1`],
      [new Uint8Array(new SharedArrayBuffer(bytes)), `a Uint8Array of ${bytes} bytes`],
    ] as const) {
      const error = await compositeRasters(base, [], { output: output as Uint8ClampedArray }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toContain(`${expected} ${got}`);
      expect((error as ValidationError).issues[0]?.path).toEqual(['output']);
    }
    // Memory shared with an input: the composite would read what it has overwritten.
    const memory = shared(bytes * 2);
    const sharedBase = { ...base, data: memory.subarray(0, bytes) };
    sharedBase.data.set(base.data);
    const layer = { raster: { ...base, data: memory.subarray(bytes) } };
    await expect(
      compositeRasters(sharedBase, [], { output: memory.subarray(0, bytes) }),
    ).rejects.toThrow(
      'Expected `output` to share no memory with the inputs, but it overlaps `base`',
    );
    await expect(
      compositeRasters(base, [layer], { output: memory.subarray(bytes) }),
    ).rejects.toThrow('overlaps `layers[0].raster`');
    await expect(
      compositeRasters(sharedBase, [layer], { output: shared(bytes) }),
    ).resolves.toMatchObject({ width: base.width });
  });
});
