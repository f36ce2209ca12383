// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.

/**
 * Float noise below this, around the spec's discontinuities (an unpremultiplied backdrop of
 * exactly 0 or 1, a grey triple), must not flip the exact rules; real values are far from it.
 * Written out as `1e-13` in each function that needs it (a constant would not reach the workers).
 */
export const edgeEpsilon = 1e-13;

/**
 * Soft-light B(Cb, Cs) of one channel.
 *
 * @param backdrop - Cb, straight, 0..1.
 * @param source - Cs, straight, 0..1.
 * @returns B(Cb, Cs).
 */
export function softLight(backdrop: number, source: number): number {
  if (source <= 0.5) return backdrop - (1 - 2 * source) * backdrop * (1 - backdrop);
  const d =
    backdrop <= 0.25 ? ((16 * backdrop - 12) * backdrop + 4) * backdrop : Math.sqrt(backdrop);
  return backdrop + (2 * source - 1) * (d - backdrop);
}

/**
 * Color-dodge B(Cb, Cs) of one channel: `Cb = 0` wins over `Cs = 1`.
 *
 * @param backdrop - Cb, straight, 0..1.
 * @param source - Cs, straight, 0..1.
 * @returns B(Cb, Cs).
 */
export function colorDodge(backdrop: number, source: number): number {
  if (backdrop <= 1e-13) return 0;
  if (source >= 1) return 1;
  return Math.min(1, backdrop / (1 - source));
}

/**
 * Color-burn B(Cb, Cs) of one channel: `Cb = 1` wins over `Cs = 0`.
 *
 * @param backdrop - Cb, straight, 0..1.
 * @param source - Cs, straight, 0..1.
 * @returns B(Cb, Cs).
 */
export function colorBurn(backdrop: number, source: number): number {
  if (backdrop >= 1 - 1e-13) return 1;
  if (source <= 0) return 0;
  return 1 - Math.min(1, (1 - backdrop) / source);
}

/**
 * B(Cb, Cs) of one channel for the separable modes, by their code in `blendModeCodes`
 * (0 normal … 11 exclusion).
 *
 * @param mode - the mode's code, 0 to 11.
 * @param backdrop - Cb, straight, 0..1.
 * @param source - Cs, straight, 0..1.
 * @returns B(Cb, Cs).
 */
export function separableBlend(mode: number, backdrop: number, source: number): number {
  switch (mode) {
    case 0: // normal
      return source;
    case 1: // multiply
      return backdrop * source;
    case 2: // screen
      return backdrop + source - backdrop * source;
    case 3: // overlay: hard-light with the arguments swapped
      return backdrop <= 0.5 ? 2 * backdrop * source : 1 - 2 * (1 - backdrop) * (1 - source);
    case 4: // darken
      return Math.min(backdrop, source);
    case 5: // lighten
      return Math.max(backdrop, source);
    case 6:
      return colorDodge(backdrop, source);
    case 7:
      return colorBurn(backdrop, source);
    case 8: // hard-light
      return source <= 0.5 ? 2 * source * backdrop : 1 - 2 * (1 - source) * (1 - backdrop);
    case 9:
      return softLight(backdrop, source);
    case 10: // difference
      return Math.abs(backdrop - source);
    default: // 11 exclusion
      return backdrop + source - 2 * backdrop * source;
  }
}
