import { describeValue, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { featherMask } from '../mask/feather-mask.js';
import type { Raster } from '../raster.js';

/** Options of {@link lightWrap}. */
export interface LightWrapOptions {
  /** How much backdrop light reaches the edge, 0..1. @default 0.5 */
  readonly amount?: number;
  /** How far into the layer the light reaches, in pixels. @default 8 */
  readonly radius?: number;
}

const subject = 'light wrap options';

/**
 * Light wrap: the backdrop's light bleeding over a layer's edges, so a cut-out sits in its scene
 * rather than on it. Near the layer's edge (within about `radius` pixels, fading inwards) the
 * layer's colour is mixed with the blurred backdrop behind it, by `amount`; the interior and the
 * alpha are unchanged.
 *
 * @example
 * ```ts
 * const wrapped = lightWrap(hero, sceneUnderHero, { amount: 0.4, radius: 10 });
 * ```
 *
 * @param raster - the layer; it is not modified.
 * @param backdrop - what lies behind the layer, the layer's size and position.
 * @param options - `amount`, `radius`.
 * @returns a new raster.
 * @throws {ValidationError} when a raster or an option is malformed or the sizes differ.
 */
export function lightWrap(
  raster: Raster,
  backdrop: Raster,
  options: LightWrapOptions = {},
): Raster {
  assertRaster(raster, ['raster']);
  assertRaster(backdrop, ['backdrop']);
  if (backdrop.width !== raster.width || backdrop.height !== raster.height) {
    throw ValidationError.field(
      ['backdrop'],
      `Expected \`backdrop\` to be ${raster.width} × ${raster.height} like the layer, got ${backdrop.width} × ${backdrop.height}`,
      subject,
    );
  }
  const amount = options.amount ?? 0.5;
  if (typeof amount !== 'number' || !(amount >= 0 && amount <= 1)) {
    throw ValidationError.field(
      ['amount'],
      `Expected \`amount\` to be a number from 0 to 1, got ${describeValue(amount)}`,
      subject,
    );
  }
  const radius = options.radius ?? 8;
  if (typeof radius !== 'number' || !(radius >= 1 && radius <= 1000)) {
    throw ValidationError.field(
      ['radius'],
      `Expected \`radius\` to be a number of pixels from 1 to 1000, got ${describeValue(radius)}`,
      subject,
    );
  }
  const { width, height, data } = raster;
  const pixels = width * height;
  const output = new Uint8ClampedArray(data);
  if (amount === 0) return { width, height, data: output };
  const alpha = new Uint8Array(pixels);
  const channels = [new Uint8Array(pixels), new Uint8Array(pixels), new Uint8Array(pixels)];
  for (let index = 0; index < pixels; index++) {
    alpha[index] = data[index * 4 + 3]!;
    for (let channel = 0; channel < 3; channel++) {
      channels[channel]![index] = backdrop.data[index * 4 + channel]!;
    }
  }
  const inside = featherMask(alpha, width, height, radius);
  const light = channels.map((channel) => featherMask(channel, width, height, radius));
  for (let index = 0; index < pixels; index++) {
    if (alpha[index] === 0) continue;
    // 1 at the very edge (blurred alpha ½ or less inside), fading to 0 deep inside.
    const edge = Math.min(1, Math.max(0, 2 * (1 - inside[index]! / 255)));
    const mix = amount * edge;
    if (mix === 0) continue;
    const at = index * 4;
    for (let channel = 0; channel < 3; channel++) {
      const own = output[at + channel]!;
      // Screen-like: wrapped light brightens, it never darkens the edge.
      const lit = Math.max(own, light[channel]![index]!);
      output[at + channel] = own + mix * (lit - own);
    }
  }
  return { width, height, data: output };
}
