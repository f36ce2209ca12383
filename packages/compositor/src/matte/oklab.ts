/** A colour in OKLab: perceptual lightness `l` (0..1) and the two opponent axes `a`, `b`. */
export interface OklabColor {
  /** Lightness, 0 (black) to 1 (white). */
  l: number;
  /** Green (−) to red (+). */
  a: number;
  /** Blue (−) to yellow (+). */
  b: number;
}

/** sRGB byte → linear light, for every byte. */
export const linearFromByte: Float64Array = Float64Array.from({ length: 256 }, (_, byte) => {
  const value = byte / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
});

/** sRGB value (0..1, fractions allowed) → linear light. */
export function linearFromUnit(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** Linear light → sRGB value, clipped to 0..1 (not rounded). */
export function unitFromLinear(linear: number): number {
  const value = linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
  return Math.min(1, Math.max(0, value));
}

/**
 * Converts linear-light RGB to OKLab (Björn Ottosson's matrices), writing into `into`.
 *
 * @returns `into`.
 */
export function oklabFromLinear(r: number, g: number, b: number, into: OklabColor): OklabColor {
  const long = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const medium = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const short = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  into.l = 0.2104542553 * long + 0.793617785 * medium - 0.0040720468 * short;
  into.a = 1.9779984951 * long - 2.428592205 * medium + 0.4505937099 * short;
  into.b = 0.0259040371 * long + 0.7827717662 * medium - 0.808675766 * short;
  return into;
}

/** Converts OKLab to linear-light RGB (not clipped), writing red, green, blue into `into[0..2]`. */
export function linearFromOklab(color: OklabColor, into: Float64Array): void {
  const long = (color.l + 0.3963377774 * color.a + 0.2158037573 * color.b) ** 3;
  const medium = (color.l - 0.1055613458 * color.a - 0.0638541728 * color.b) ** 3;
  const short = (color.l - 0.0894841775 * color.a - 1.291485548 * color.b) ** 3;
  into[0] = 4.0767416621 * long - 3.3077115913 * medium + 0.2309699292 * short;
  into[1] = -1.2684380046 * long + 2.6097574011 * medium - 0.3413193965 * short;
  into[2] = -0.0041960863 * long - 0.7034186147 * medium + 1.707614701 * short;
}

/**
 * Converts 8-bit sRGB to OKLab (Björn Ottosson's matrices), writing into `into`.
 *
 * @returns `into`.
 */
export function oklabFromSrgb(
  red: number,
  green: number,
  blue: number,
  into: OklabColor,
): OklabColor {
  return oklabFromLinear(linearFromByte[red]!, linearFromByte[green]!, linearFromByte[blue]!, into);
}

const linear = new Float64Array(3);

/**
 * Converts OKLab back to 8-bit sRGB (clipped to the gamut), writing red, green, blue into
 * `into[offset..offset + 2]`.
 */
export function srgbFromOklab(color: OklabColor, into: Uint8ClampedArray, offset: number): void {
  linearFromOklab(color, linear);
  into[offset] = Math.round(unitFromLinear(linear[0]!) * 255);
  into[offset + 1] = Math.round(unitFromLinear(linear[1]!) * 255);
  into[offset + 2] = Math.round(unitFromLinear(linear[2]!) * 255);
}
