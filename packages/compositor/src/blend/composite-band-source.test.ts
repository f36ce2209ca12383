/**
 * The kernel's source text is what worker threads run: it must stand on its own whatever the
 * bundler or module runner did to the functions (renamed, minified, names kept, namespace
 * qualifiers), and give the calling thread's bytes.
 */
import { blendModes } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { noise } from '../../test/noise.js';
import type { RasterLayer } from '../raster-layer.js';
import { bandInput } from './band-input.js';
import { compositeBand } from './composite-band.js';
import {
  compositeBandEntry,
  compositeBandSource,
  declaredName,
  kernelFunctions,
} from './composite-band-source.js';
import { prepareComposite } from './prepare-composite.js';
import { compositeKernelModule } from './wasm/composite-kernel-module.js';
import { instantiateWasmKernel } from './wasm/wasm-kernel.js';

/** Every mode over a backdrop opaque on its left half and translucent on its right. */
function scene() {
  const width = 96;
  const height = 40;
  const base = { width, height, data: noise(width * height * 4, 1) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width / 2; x++) base.data[(y * width + x) * 4 + 3] = 255;
  }
  const layers: RasterLayer[] = blendModes.map((blend, index) => {
    const data = noise(40 * 20 * 4, 10 + index);
    // Opaque blocks, so that `normal` layers hide what is below them.
    for (let pixel = 0; pixel < 40 * 20; pixel++) if (pixel % 40 < 20) data[pixel * 4 + 3] = 255;
    return {
      raster: { width: 40, height: 20, data },
      left: ((index * 7) % 70) - 8,
      top: ((index * 5) % 30) - 4,
      blend,
      opacity: index % 3 === 0 ? 1 : 0.6,
      ...(index % 4 === 1 ? { mask: new Uint8Array(noise(40 * 20, 50 + index)) } : {}),
    };
  });
  return prepareComposite(base, layers);
}

describe('the kernel source', () => {
  it('is made of plain function declarations, each with a name of its own', () => {
    const names = kernelFunctions().map(declaredName);
    expect(names).not.toContain('');
    expect(new Set(names).size).toBe(names.length);
    expect(names.at(-1)).toBe(compositeBandEntry());
    expect(compositeBandEntry()).toBe(compositeBand.name);
  });

  it('holds no nested function (a bundler keeping names would wrap it in a helper)', () => {
    for (const kernelFunction of kernelFunctions()) {
      const text = kernelFunction.toString();
      expect(text.match(/\bfunction\b/g), declaredName(kernelFunction)).toHaveLength(1);
      expect(text.includes('=>'), declaredName(kernelFunction)).toBe(false);
    }
  });

  it('calls nothing it does not declare, but built-ins', () => {
    const source = compositeBandSource();
    expect(source).not.toMatch(/__vite_ssr_import_\d+__/);
    // The kernel holds no string: whatever starts with `//` or `/*` is a comment.
    const code = source.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
    const declared = new Set(kernelFunctions().map(declaredName));
    // Locals may hold functions too (the WebAssembly kernel's loops).
    for (const local of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) {
      declared.add(local[1]!);
    }
    const keywords = new Set(['if', 'else', 'for', 'while', 'switch', 'return', 'typeof']);
    // Every bare call: a name followed by `(`, not a property (`.min(`) nor a declaration.
    const called = new Set(
      [...code.matchAll(/(?<![\w$.]|function\s)([A-Za-z_$][\w$]*)\s*\(/g)].map(
        (match) => match[1]!,
      ),
    );
    const unknown = [...called].filter(
      (name) => !declared.has(name) && !keywords.has(name) && !(name in globalThis),
    );
    expect(unknown).toEqual([]);
  });

  it('finds the declared name even where a bundler kept an old `name`', () => {
    function renamed2(): number {
      return 1;
    }
    Object.defineProperty(renamed2, 'name', { value: 'renamed' });
    expect(renamed2.name).toBe('renamed');
    expect(declaredName(renamed2)).toBe('renamed2');
    expect(declaredName(() => 1)).toBe('');
  });

  it.each([
    ['JavaScript', false],
    ['WebAssembly', true],
  ])('evaluated in a scope of its own, gives the calling thread’s bytes (%s loops)', (_, wasm) => {
    const module = compositeKernelModule();
    if (wasm && module === null) return;
    const kernel = new Function(`${compositeBandSource()}\nreturn ${compositeBandEntry()};`)() as (
      task: unknown,
    ) => void;
    const composite = scene();
    const band = { rowStart: 0, rowEnd: composite.height };
    for (const float32 of wasm ? [false, true] : [false]) {
      const bytes = composite.width * composite.height * 4;
      const fromSource = new Uint8ClampedArray(bytes);
      const fromModules = new Uint8ClampedArray(bytes);
      const task = bandInput(composite, band, false).task;
      kernel({
        ...task,
        output: fromSource,
        outputRow: 0,
        wasm: module === null || !wasm ? null : instantiateWasmKernel(module),
        wasmFloat32: float32,
      });
      compositeBand({
        ...task,
        output: fromModules,
        outputRow: 0,
        wasm: module === null || !wasm ? null : instantiateWasmKernel(module),
        wasmFloat32: float32,
      });
      expect(Buffer.from(fromSource).equals(Buffer.from(fromModules))).toBe(true);
      expect(fromSource.some((byte) => byte !== 0)).toBe(true);
    }
  });
});
