// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { nonSeparableBlend } from './non-separable-blend.js';
import { separableBlend, softLight } from './separable-blend.js';

// Over an opaque backdrop the accumulator holds straight colours with αb = 1, and source-over
// reduces to co = Cb + αs·(B(Cb, Cs) − Cb), αo = 1. The four common modes have their own
// expressions, which the WebAssembly float64 loops evaluate in the same order (same bits);
// `normal` is cs + (1 − αs)·cb, as the general loops compute it, so that both round alike.

/**
 * `normal` over an opaque backdrop, one channel.
 *
 * @param backdrop - Cb, 0..1.
 * @param byte - the source channel's byte, 0..255.
 * @param sourceAlpha - αs (alpha × opacity × mask), 0..1.
 * @returns the new Cb.
 */
export function normalOverOpaque(backdrop: number, byte: number, sourceAlpha: number): number {
  return byte * (sourceAlpha * (1 / 255)) + (1 - sourceAlpha) * backdrop;
}

/**
 * `multiply` over an opaque backdrop, one channel.
 *
 * @param backdrop - Cb, 0..1.
 * @param byte - the source channel's byte, 0..255.
 * @param sourceAlpha - αs, 0..1.
 * @returns the new Cb.
 */
export function multiplyOverOpaque(backdrop: number, byte: number, sourceAlpha: number): number {
  return backdrop + sourceAlpha * (backdrop * (byte * (1 / 255)) - backdrop);
}

/**
 * `screen` over an opaque backdrop, one channel: B − Cb = Cs − Cb·Cs.
 *
 * @param backdrop - Cb, 0..1.
 * @param byte - the source channel's byte, 0..255.
 * @param sourceAlpha - αs, 0..1.
 * @returns the new Cb.
 */
export function screenOverOpaque(backdrop: number, byte: number, sourceAlpha: number): number {
  const source = byte * (1 / 255);
  return backdrop + sourceAlpha * (source - backdrop * source);
}

/**
 * `soft-light` over an opaque backdrop, one channel.
 *
 * @param backdrop - Cb, 0..1.
 * @param byte - the source channel's byte, 0..255.
 * @param sourceAlpha - αs, 0..1.
 * @returns the new Cb.
 */
export function softLightOverOpaque(backdrop: number, byte: number, sourceAlpha: number): number {
  return backdrop + sourceAlpha * (softLight(backdrop, byte * (1 / 255)) - backdrop);
}

/**
 * Any separable mode over an opaque backdrop, one channel, by the spec's formula (what the
 * general loops compute when αb = 1).
 *
 * @param mode - the mode's code, 0 to 11.
 * @param backdrop - Cb, 0..1.
 * @param byte - the source channel's byte, 0..255.
 * @param sourceAlpha - αs, 0..1.
 * @returns the new Cb.
 */
export function separableOverOpaque(
  mode: number,
  backdrop: number,
  byte: number,
  sourceAlpha: number,
): number {
  return backdrop + sourceAlpha * (separableBlend(mode, backdrop, byte * (1 / 255)) - backdrop);
}

/**
 * The modes without an expression of their own over an opaque backdrop, one pixel, in place:
 * the separable ones by `separableOverOpaque`, the non-separable ones (12 to 15) by the spec's
 * formula, as the general loops compute it when αb = 1.
 *
 * @param mode - the mode's code.
 * @param accumulator - straight colours of the backdrop (αb = 1), 4 a pixel.
 * @param slot - index of the pixel's red in `accumulator`.
 * @param red - the source's red byte.
 * @param green - its green byte.
 * @param blue - its blue byte.
 * @param sourceAlpha - αs, 0..1.
 * @param blended - scratch for the non-separable modes.
 */
export function blendOtherOpaquePixel(
  mode: number,
  accumulator: Float64Array,
  slot: number,
  red: number,
  green: number,
  blue: number,
  sourceAlpha: number,
  blended: Float64Array,
): void {
  const backdropRed = accumulator[slot]!;
  const backdropGreen = accumulator[slot + 1]!;
  const backdropBlue = accumulator[slot + 2]!;
  if (mode <= 11) {
    accumulator[slot] = separableOverOpaque(mode, backdropRed, red, sourceAlpha);
    accumulator[slot + 1] = separableOverOpaque(mode, backdropGreen, green, sourceAlpha);
    accumulator[slot + 2] = separableOverOpaque(mode, backdropBlue, blue, sourceAlpha);
    return;
  }
  const inverse255 = 1 / 255;
  nonSeparableBlend(
    mode,
    backdropRed,
    backdropGreen,
    backdropBlue,
    red * inverse255,
    green * inverse255,
    blue * inverse255,
    blended,
  );
  accumulator[slot] = backdropRed + sourceAlpha * (blended[0]! - backdropRed);
  accumulator[slot + 1] = backdropGreen + sourceAlpha * (blended[1]! - backdropGreen);
  accumulator[slot + 2] = backdropBlue + sourceAlpha * (blended[2]! - backdropBlue);
}
