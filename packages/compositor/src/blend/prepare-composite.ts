import { describeValue, formatPath, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import type { Raster } from '../raster.js';
import { blendModeCodes } from './blend-mode-codes.js';

/** A validated layer that shows somewhere on the canvas. */
export interface PreparedLayer {
  /** RGBA bytes, starting on a 4-byte boundary. */
  readonly data: Uint8ClampedArray;
  /** Layer width. */
  readonly width: number;
  /** Layer height. */
  readonly height: number;
  /** Canvas column of the left edge. */
  readonly left: number;
  /** Canvas row of the top edge. */
  readonly top: number;
  /** Blend-mode code. */
  readonly mode: number;
  /** Opacity, above 0. */
  readonly opacity: number;
  /** Mask bytes or `null`. */
  readonly mask: Uint8Array | Uint8ClampedArray | null;
}

/** What the kernel needs: the backdrop and the visible layers, top-first. */
export interface PreparedComposite {
  /** Canvas width. */
  readonly width: number;
  /** Canvas height. */
  readonly height: number;
  /** Backdrop bytes, starting on a 4-byte boundary. */
  readonly base: Uint8ClampedArray;
  /** Visible layers, top-first. */
  readonly layers: readonly PreparedLayer[];
}

const subject = 'composite input';

function field(path: readonly (string | number)[], phrase: string, value: unknown): never {
  throw ValidationError.field(
    path,
    `Expected \`${formatPath(path)}\` to be ${phrase}, got ${describeValue(value)}`,
    subject,
  );
}

/** The bytes themselves when they start on a 4-byte boundary, else an aligned copy. */
function aligned(data: Uint8ClampedArray): Uint8ClampedArray {
  return data.byteOffset % 4 === 0 ? data : new Uint8ClampedArray(data);
}

function integerOption(value: unknown, path: readonly (string | number)[]): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    field(path, 'an integer number of pixels', value);
  }
  return value;
}

/**
 * Validates the arguments of `compositeRasters` and drops layers that cannot show (opacity 0,
 * or wholly outside the canvas).
 *
 * @param base - the backdrop raster.
 * @param layers - the layers, top-first.
 * @throws {ValidationError} naming the bad field.
 */
export function prepareComposite(base: unknown, layers: unknown): PreparedComposite {
  assertRaster(base, ['base'], subject);
  if (!Array.isArray(layers)) field(['layers'], 'an array of layers', layers);
  const prepared: PreparedLayer[] = [];
  layers.forEach((layer: unknown, index) => {
    const path = ['layers', index];
    if (typeof layer !== 'object' || layer === null) {
      field(path, 'a layer `{ raster, left?, top?, blend?, opacity?, mask? }`', layer);
    }
    const { raster, left, top, blend, opacity, mask } = layer as Record<string, unknown>;
    assertRaster(raster, [...path, 'raster'], subject);
    const leftValue = integerOption(left, [...path, 'left']);
    const topValue = integerOption(top, [...path, 'top']);
    let mode = 0;
    if (blend !== undefined) {
      if (typeof blend !== 'string' || !Object.hasOwn(blendModeCodes, blend)) {
        field(
          [...path, 'blend'],
          `a W3C blend mode (${Object.keys(blendModeCodes).join(', ')})`,
          blend,
        );
      }
      mode = blendModeCodes[blend as keyof typeof blendModeCodes];
    }
    let opacityValue = 1;
    if (opacity !== undefined) {
      if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) {
        field([...path, 'opacity'], 'a number from 0 to 1', opacity);
      }
      opacityValue = opacity;
    }
    const size = raster.width * raster.height;
    let maskValue: Uint8Array | Uint8ClampedArray | null = null;
    if (mask !== undefined) {
      if (
        !(mask instanceof Uint8Array || mask instanceof Uint8ClampedArray) ||
        mask.length !== size
      ) {
        const received =
          mask instanceof Uint8Array || mask instanceof Uint8ClampedArray
            ? `${mask.length} bytes`
            : describeValue(mask);
        throw ValidationError.field(
          [...path, 'mask'],
          `Expected \`${formatPath([...path, 'mask'])}\` to be a Uint8Array of one byte per layer pixel (${raster.width} × ${raster.height} = ${size}), got ${received}`,
          subject,
        );
      }
      maskValue = mask;
    }
    const visible =
      opacityValue > 0 &&
      leftValue < base.width &&
      leftValue + raster.width > 0 &&
      topValue < base.height &&
      topValue + raster.height > 0;
    if (!visible) return;
    prepared.push({
      data: aligned(raster.data),
      width: raster.width,
      height: raster.height,
      left: leftValue,
      top: topValue,
      mode,
      opacity: opacityValue,
      mask: maskValue,
    });
  });
  return {
    width: base.width,
    height: base.height,
    base: aligned((base as Raster).data),
    layers: prepared,
  };
}
