import { describeValue, formatPath, ValidationError } from '@layerloom/core';
import type { Raster } from './raster.js';

/** Largest raster side accepted, in pixels (JPEG's limit; four times core's largest canvas). */
export const maxRasterSide = 65_535;

/**
 * Checks that `value` is a {@link Raster}: positive integer sides and a `Uint8ClampedArray` of
 * exactly `width × height × 4` bytes.
 *
 * @param value - what the caller passed.
 * @param path - where it was passed, for messages, e.g. `['layers', 0, 'raster']`.
 * @param subject - what was validated, for the error's first line.
 * @throws {ValidationError} naming the bad field.
 */
export function assertRaster(
  value: unknown,
  path: readonly (string | number)[],
  subject = 'raster',
): asserts value is Raster {
  const name = formatPath(path);
  if (typeof value !== 'object' || value === null) {
    throw ValidationError.field(
      path,
      `Expected \`${name}\` to be a raster \`{ width, height, data }\`, got ${describeValue(value)}`,
      subject,
    );
  }
  const raster = value as Record<string, unknown>;
  for (const side of ['width', 'height'] as const) {
    const size = raster[side];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > maxRasterSide) {
      throw ValidationError.field(
        [...path, side],
        `Expected \`${formatPath([...path, side])}\` to be an integer from 1 to ${maxRasterSide}, got ${describeValue(size)}`,
        subject,
      );
    }
  }
  const expectedLength = (raster.width as number) * (raster.height as number) * 4;
  const data = raster.data;
  if (!(data instanceof Uint8ClampedArray) || data.length !== expectedLength) {
    const received =
      data instanceof Uint8ClampedArray
        ? `${data.length} bytes`
        : ArrayBuffer.isView(data)
          ? `a ${data.constructor.name}`
          : describeValue(data);
    throw ValidationError.field(
      [...path, 'data'],
      `Expected \`${formatPath([...path, 'data'])}\` to be a Uint8ClampedArray of ${raster.width} × ${raster.height} × 4 = ${expectedLength} bytes, got ${received}`,
      subject,
    );
  }
}
