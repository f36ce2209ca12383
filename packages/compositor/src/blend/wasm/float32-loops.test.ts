/**
 * The float32 loops do four pixels an iteration and the last ones one at a time. Both must give
 * the same bits: here each loop runs over a whole row in one call, and again one pixel a call
 * (which takes only the one-pixel code), on the same inputs, with and without a mask.
 */
import { describe, expect, it } from 'vitest';
import { compositeKernelModule } from './composite-kernel-module.js';
import { instantiateWasmKernel, type OpaqueLoop, type WasmKernel } from './wasm-kernel.js';

const module = compositeKernelModule();
const columns = 203; // not a multiple of four

/** Layer pixels with groups of four transparent ones, transparent ones among others, opaque. */
function layerRow(seed: number): Uint8Array {
  const bytes = new Uint8Array(columns * 4);
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state >>> 24;
  };
  for (let x = 0; x < columns; x++) {
    for (let channel = 0; channel < 3; channel++) bytes[x * 4 + channel] = random();
    const kind = (x >> 2) % 4;
    bytes[x * 4 + 3] = kind === 0 ? 0 : kind === 1 ? 255 : kind === 2 ? random() : x % 2 ? 0 : 200;
  }
  return bytes;
}

/** A mask row: 0, 255 and values between, changing from pixel to pixel. */
const maskRow = Uint8Array.from({ length: columns }, (_, x) =>
  x % 7 === 0 ? 0 : x % 5 === 0 ? 255 : (x * 53) % 256,
);

function run(
  kernel: WasmKernel,
  loop: keyof WasmKernel,
  layer: Uint8Array,
  perPixel: boolean,
  masked: boolean,
): Uint8Array {
  const memory = new Uint8Array(kernel.memory.buffer);
  const layerAt = 0;
  const maskAt = 2048;
  const accAt = 4096;
  memory.set(layer, layerAt);
  memory.set(maskRow, maskAt);
  const acc = new Float32Array(kernel.memory.buffer, accAt, columns * 4);
  for (let index = 0; index < acc.length; index++) acc[index] = ((index * 37) % 256) / 255;
  const blend = kernel[loop] as OpaqueLoop;
  const hasMask = masked ? 1 : 0;
  if (perPixel) {
    for (let x = 0; x < columns; x++) {
      blend(layerAt + x * 4, maskAt + x, hasMask, accAt + x * 16, 1, 0.7 / 255);
    }
  } else {
    blend(layerAt, maskAt, hasMask, accAt, columns, 0.7 / 255);
  }
  return new Uint8Array(kernel.memory.buffer.slice(accAt, accAt + columns * 16));
}

describe.skipIf(module === null)('the float32 loops', () => {
  it.each<keyof WasmKernel>([
    'normalOpaque32',
    'multiplyOpaque32',
    'screenOpaque32',
    'softLightOpaque32',
  ])('%s gives the same bits four pixels at a time as one at a time, masked or not', (loop) => {
    const kernel = instantiateWasmKernel(module!);
    for (const masked of [false, true]) {
      for (const seed of [1, 2, 3]) {
        const layer = layerRow(seed);
        const once = run(kernel, loop, layer, false, masked);
        expect(Buffer.from(once)).toEqual(Buffer.from(run(kernel, loop, layer, true, masked)));
      }
    }
    // The mask does something.
    const layer = layerRow(1);
    expect(Buffer.from(run(kernel, loop, layer, false, true))).not.toEqual(
      Buffer.from(run(kernel, loop, layer, false, false)),
    );
  });

  it('start and write runs four pixels at a time as one at a time', () => {
    const kernel = instantiateWasmKernel(module!);
    const memory = new Uint8Array(kernel.memory.buffer);
    const source = layerRow(4).map((byte, index) => (index % 4 === 3 ? 255 : byte));
    memory.set(source, 0);
    const outputs = [false, true].map((perPixel) => {
      if (perPixel) {
        for (let x = 0; x < columns; x++) {
          expect(kernel.startOpaque32(x * 4, 4096 + x * 16, 1)).toBe(1);
          kernel.writeOpaque32(4096 + x * 16, 8192 + x * 4, 1);
        }
      } else {
        expect(kernel.startOpaque32(0, 4096, columns)).toBe(1);
        kernel.writeOpaque32(4096, 8192, columns);
      }
      return Buffer.from(kernel.memory.buffer.slice(8192, 8192 + columns * 4));
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]).toEqual(Buffer.from(source));
    // A pixel that is not opaque, in the first four or after: the run is not started.
    memory[4 * 6 + 3] = 254;
    expect(kernel.startOpaque32(0, 4096, columns)).toBe(0);
    memory[4 * 6 + 3] = 255;
    memory[4 * 201 + 3] = 0;
    expect(kernel.startOpaque32(0, 4096, columns)).toBe(0);
  });
});
