import type { RgbaColor } from '../util/css-color.js';
import { columnsOf, glyphFor, glyphHeight } from './bitmap-font.js';

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

/** Makes an axis-aligned rectangle fully transparent (clipped to the canvas). */
export function clearRect(
  canvas: PixelCanvas,
  left: number,
  top: number,
  width: number,
  height: number,
): void {
  const x0 = Math.max(0, Math.floor(left));
  const x1 = Math.min(canvas.width, Math.ceil(left + width));
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(canvas.height, top + height); y++) {
    canvas.data.fill(0, (y * canvas.width + x0) * 4, (y * canvas.width + x1) * 4);
  }
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

/** Width in pixels of `text` drawn at `scale` (8 px per half-width character, 16 per full-width). */
export function textWidth(text: string, scale: number): number {
  let columns = 0;
  for (const character of text) columns += columnsOf(character);
  return columns * 8 * scale;
}

/** Draws `text` with the 16 px label font, each font pixel `scale` pixels wide. */
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
    const { columns, bits } = glyphFor(character);
    for (let row = 0; row < glyphHeight; row++) {
      for (let column = 0; column < columns; column++) {
        const bit = row * columns + column;
        if (bits[bit >> 3]! & (0x80 >> (bit & 7))) {
          fillRect(canvas, cursor + column * scale, top + row * scale, scale, scale, color);
        }
      }
    }
    cursor += columns * scale;
  }
}

/** A piece of text that wraps as one: a run of half-width characters, or one full-width one. */
interface Piece {
  readonly text: string;
  readonly columns: number;
  /** Whether a space separates it from the piece before. */
  readonly spaced: boolean;
}

function piecesOf(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    let run = '';
    let spaced = pieces.length > 0;
    const flush = () => {
      if (run === '') return;
      pieces.push({ text: run, columns: [...run].length, spaced });
      run = '';
      spaced = false;
    };
    for (const character of word) {
      if (columnsOf(character) === 2) {
        flush();
        pieces.push({ text: character, columns: 2, spaced });
        spaced = false;
      } else run += character;
    }
    flush();
  }
  return pieces;
}

/** The longest start of `text` that fits in `columns` half-width columns. */
function cut(text: string, columns: number): string {
  let used = 0;
  let kept = '';
  for (const character of text) {
    used += columnsOf(character);
    if (used > columns) break;
    kept += character;
  }
  return kept;
}

/**
 * Splits `text` into at most `maxLines` lines of at most `maxColumns` half-width columns (a CJK
 * character takes two and may start a line anywhere; other text wraps at spaces), ending with
 * `...` when cut.
 */
export function wrapText(text: string, maxColumns: number, maxLines: number): string[] {
  const pieces = piecesOf(text);
  const lines: string[] = [];
  let current = '';
  let currentColumns = 0;
  let used = 0;
  let truncated = false;
  for (const piece of pieces) {
    const gap = current !== '' && piece.spaced ? 1 : 0;
    if (currentColumns + gap + piece.columns <= maxColumns) {
      current += (gap === 1 ? ' ' : '') + piece.text;
      currentColumns += gap + piece.columns;
      used++;
      continue;
    }
    if (current !== '') lines.push(current);
    if (lines.length === maxLines) break;
    truncated ||= piece.columns > maxColumns;
    current = piece.columns > maxColumns ? cut(piece.text, maxColumns) : piece.text;
    currentColumns = Math.min(piece.columns, maxColumns);
    used++;
  }
  if (current !== '' && lines.length < maxLines) lines.push(current);
  const shown = lines.slice(0, maxLines);
  if ((truncated || used < pieces.length) && shown.length > 0) {
    shown[shown.length - 1] = `${cut(shown[shown.length - 1]!, Math.max(0, maxColumns - 3))}...`;
  }
  return shown;
}
