// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.

/**
 * SetLum then ClipColor of the spec, written into `result`.
 *
 * @param red - the colour's red, 0..1.
 * @param green - its green.
 * @param blue - its blue.
 * @param luminosity - the luminosity to give it.
 * @param result - receives red, green and blue.
 */
export function setLuminosity(
  red: number,
  green: number,
  blue: number,
  luminosity: number,
  result: Float64Array,
): void {
  const shift = luminosity - (0.3 * red + 0.59 * green + 0.11 * blue);
  red += shift;
  green += shift;
  blue += shift;
  const lum = 0.3 * red + 0.59 * green + 0.11 * blue;
  const low = Math.min(red, green, blue);
  const high = Math.max(red, green, blue);
  if (low < 0) {
    const scale = lum / (lum - low);
    red = lum + (red - lum) * scale;
    green = lum + (green - lum) * scale;
    blue = lum + (blue - lum) * scale;
  }
  if (high > 1) {
    const scale = (1 - lum) / (high - lum);
    red = lum + (red - lum) * scale;
    green = lum + (green - lum) * scale;
    blue = lum + (blue - lum) * scale;
  }
  result[0] = red;
  result[1] = green;
  result[2] = blue;
}

/**
 * SetSat of the spec, written into `result`: the largest component becomes `saturation`, the
 * smallest 0, the middle one keeps its relative position. With ties, any ranking gives the
 * same values.
 *
 * @param red - the colour's red, 0..1.
 * @param green - its green.
 * @param blue - its blue.
 * @param saturation - the saturation to give it.
 * @param result - receives red, green and blue.
 */
export function setSaturation(
  red: number,
  green: number,
  blue: number,
  saturation: number,
  result: Float64Array,
): void {
  const high = Math.max(red, green, blue);
  const low = Math.min(red, green, blue);
  if (high - low <= 1e-13) {
    result[0] = 0;
    result[1] = 0;
    result[2] = 0;
    return;
  }
  const scale = saturation / (high - low);
  result[0] = red === high ? saturation : red === low ? 0 : (red - low) * scale;
  result[1] = green === high ? saturation : green === low ? 0 : (green - low) * scale;
  result[2] = blue === high ? saturation : blue === low ? 0 : (blue - low) * scale;
}

/**
 * B(Cb, Cs) of the non-separable modes (12 hue, 13 saturation, 14 color, 15 luminosity),
 * written into `result`.
 *
 * @param mode - the mode's code, 12 to 15.
 * @param backdropRed - Cb's red, straight, 0..1.
 * @param backdropGreen - Cb's green.
 * @param backdropBlue - Cb's blue.
 * @param sourceRed - Cs's red, straight, 0..1.
 * @param sourceGreen - Cs's green.
 * @param sourceBlue - Cs's blue.
 * @param result - receives B's red, green and blue.
 */
export function nonSeparableBlend(
  mode: number,
  backdropRed: number,
  backdropGreen: number,
  backdropBlue: number,
  sourceRed: number,
  sourceGreen: number,
  sourceBlue: number,
  result: Float64Array,
): void {
  const backdropLuminosity = 0.3 * backdropRed + 0.59 * backdropGreen + 0.11 * backdropBlue;
  if (mode === 12) {
    const saturation =
      Math.max(backdropRed, backdropGreen, backdropBlue) -
      Math.min(backdropRed, backdropGreen, backdropBlue);
    setSaturation(sourceRed, sourceGreen, sourceBlue, saturation, result);
    setLuminosity(result[0]!, result[1]!, result[2]!, backdropLuminosity, result);
  } else if (mode === 13) {
    const saturation =
      Math.max(sourceRed, sourceGreen, sourceBlue) - Math.min(sourceRed, sourceGreen, sourceBlue);
    setSaturation(backdropRed, backdropGreen, backdropBlue, saturation, result);
    setLuminosity(result[0]!, result[1]!, result[2]!, backdropLuminosity, result);
  } else if (mode === 14) {
    setLuminosity(sourceRed, sourceGreen, sourceBlue, backdropLuminosity, result);
  } else {
    const sourceLuminosity = 0.3 * sourceRed + 0.59 * sourceGreen + 0.11 * sourceBlue;
    setLuminosity(backdropRed, backdropGreen, backdropBlue, sourceLuminosity, result);
  }
}
