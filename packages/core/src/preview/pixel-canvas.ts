import type { RgbaColor } from '../util/css-color.js';
import { glyphAdvance, glyphFor, glyphHeight, glyphWidth } from './bitmap-font.js';

/** An RGBA8 straight-alpha pixel buffer that the preview provider paints into. */
export interface PixelCanvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** A new, fully transparent canvas. */
export function createPixelCanvas(width: number, height: number): PixelCanvas {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

/** Paints `color` over one pixel with coverage `coverage` (0..1), source-over. */
export function blendPixel(
  canvas: PixelCanvas,
  x: number,
  y: number,
  color: RgbaColor,
  coverage = 1,
): void {
  if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return;
  const alpha = color.a * coverage;
  if (alpha <= 0) return;
  const index = (y * canvas.width + x) * 4;
  const data = canvas.data;
  if (alpha >= 1) {
    data[index] = color.r;
    data[index + 1] = color.g;
    data[index + 2] = color.b;
    data[index + 3] = 255;
    return;
  }
  const backdropAlpha = data[index + 3]! / 255;
  const outAlpha = alpha + backdropAlpha * (1 - alpha);
  const mix = (source: number, backdrop: number) =>
    (source * alpha + backdrop * backdropAlpha * (1 - alpha)) / outAlpha;
  data[index] = mix(color.r, data[index]!);
  data[index + 1] = mix(color.g, data[index + 1]!);
  data[index + 2] = mix(color.b, data[index + 2]!);
  data[index + 3] = outAlpha * 255;
}

/** Fills an axis-aligned rectangle (clipped to the canvas). */
export function fillRect(
  canvas: PixelCanvas,
  left: number,
  top: number,
  width: number,
  height: number,
  color: RgbaColor,
): void {
  const x0 = Math.max(0, Math.floor(left));
  const y0 = Math.max(0, Math.floor(top));
  const x1 = Math.min(canvas.width, Math.ceil(left + width));
  const y1 = Math.min(canvas.height, Math.ceil(top + height));
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) blendPixel(canvas, x, y, color);
}

/** Fills an ellipse with a one-pixel anti-aliased edge. */
export function fillEllipse(
  canvas: PixelCanvas,
  centerX: number,
  centerY: number,
  radiusX: number,
  radiusY: number,
  color: RgbaColor,
): void {
  const x0 = Math.max(0, Math.floor(centerX - radiusX - 1));
  const x1 = Math.min(canvas.width - 1, Math.ceil(centerX + radiusX + 1));
  const y0 = Math.max(0, Math.floor(centerY - radiusY - 1));
  const y1 = Math.min(canvas.height - 1, Math.ceil(centerY + radiusY + 1));
  const scale = Math.min(radiusX, radiusY);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = (x + 0.5 - centerX) / radiusX;
      const dy = (y + 0.5 - centerY) / radiusY;
      // Signed distance to the edge, approximately in pixels.
      const distance = (Math.sqrt(dx * dx + dy * dy) - 1) * scale;
      const coverage = Math.min(1, Math.max(0, 0.5 - distance));
      if (coverage > 0) blendPixel(canvas, x, y, color, coverage);
    }
  }
}

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  const length = [...text].length;
  return length === 0 ? 0 : (length * glyphAdvance - 1) * scale;
}

/** Draws `text` with the 5×7 bitmap font, each font pixel `scale` pixels wide. */
export function drawText(
  canvas: PixelCanvas,
  text: string,
  left: number,
  top: number,
  scale: number,
  color: RgbaColor,
): void {
  let cursor = left;
  for (const character of text) {
    const rows = glyphFor(character);
    for (let row = 0; row < glyphHeight; row++) {
      const bits = rows[row]!;
      for (let column = 0; column < glyphWidth; column++) {
        if (bits & (1 << (glyphWidth - 1 - column))) {
          fillRect(canvas, cursor + column * scale, top + row * scale, scale, scale, color);
        }
      }
    }
    cursor += glyphAdvance * scale;
  }
}

/** Splits `text` into at most `maxLines` lines of at most `maxCharacters`, ending with `...` when cut. */
export function wrapText(text: string, maxCharacters: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if ([...candidate].length <= maxCharacters) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = [...word].length > maxCharacters ? [...word].slice(0, maxCharacters).join('') : word;
    if (lines.length === maxLines) break;
  }
  if (current !== '' && lines.length < maxLines) lines.push(current);
  const shown = lines.slice(0, maxLines);
  const used = shown.join(' ').length;
  if (used < words.join(' ').length && shown.length > 0) {
    const last = [...shown[shown.length - 1]!];
    shown[shown.length - 1] = `${last.slice(0, Math.max(0, maxCharacters - 3)).join('')}...`;
  }
  return shown;
}
