#!/usr/bin/env node
// Generates the preview provider's label font (packages/core/src/preview/label-font-data.ts) and
// its licence (packages/core/fonts/LICENSE-label-font.txt) from UnifontEX, a GNU Unifont
// derivative under the SIL Open Font License 1.1, published on the npm registry as
// @fontsource/unifontex. It is data only: each glyph is rasterised here, once, from the font's
// pixel-square outlines at its native 16 px, and the committed file holds the bitmaps.
//
//   mkdir -p /tmp/unifontex && npm pack @fontsource/unifontex@5.2.6 --pack-destination /tmp/unifontex
//   tar -xzf /tmp/unifontex/fontsource-unifontex-5.2.6.tgz -C /tmp/unifontex
//   node scripts/generate-label-font.mjs /tmp/unifontex/package/files/unifontex-latin-400-normal.woff
//
// The subset: Latin, Greek, Cyrillic, punctuation and symbols labels commonly need, CJK
// punctuation, kana, full-width forms, Hangul (the KS X 1001 syllables and compatibility jamo)
// and the Han characters of GB 2312, Big5 level 1 and JIS X 0208 (the sets the everyday
// simplified Chinese, traditional Chinese and Japanese text is written in). Characters outside
// it are drawn as a hollow box. The output is deterministic: same font, same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const source = process.argv[2];
if (source === undefined) {
  console.error('usage: node scripts/generate-label-font.mjs <unifontex .woff file>');
  process.exit(2);
}

/** The font's tables, decompressed (WOFF 1.0: one zlib stream per table). */
function readWoff(bytes) {
  if (bytes.toString('latin1', 0, 4) !== 'wOFF') throw new Error(`${source} is not a WOFF file`);
  const tables = {};
  for (let index = 0; index < bytes.readUInt16BE(12); index++) {
    const entry = 44 + index * 20;
    const tag = bytes.toString('latin1', entry, entry + 4);
    const offset = bytes.readUInt32BE(entry + 4);
    const compressed = bytes.readUInt32BE(entry + 8);
    const length = bytes.readUInt32BE(entry + 12);
    const data = bytes.subarray(offset, offset + compressed);
    tables[tag] = compressed < length ? inflateSync(data) : data;
  }
  return tables;
}

/** Code point → glyph index, from the cmap's format 4 (BMP) subtable. */
function readCmap(cmap) {
  const map = new Map();
  for (let index = 0; index < cmap.readUInt16BE(2); index++) {
    const record = 4 + index * 8;
    const offset = cmap.readUInt32BE(record + 4);
    if (cmap.readUInt16BE(offset) !== 4) continue;
    const segments = cmap.readUInt16BE(offset + 6) / 2;
    const ends = offset + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const ranges = deltas + segments * 2;
    for (let segment = 0; segment < segments; segment++) {
      const end = cmap.readUInt16BE(ends + segment * 2);
      const start = cmap.readUInt16BE(starts + segment * 2);
      const delta = cmap.readInt16BE(deltas + segment * 2);
      const rangeOffset = cmap.readUInt16BE(ranges + segment * 2);
      for (let code = start; code <= end && code !== 0xffff; code++) {
        let glyph;
        if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
        else {
          const at = ranges + segment * 2 + rangeOffset + (code - start) * 2;
          glyph = cmap.readUInt16BE(at);
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
        }
        if (glyph !== 0 && !map.has(code)) map.set(code, glyph);
      }
    }
    return map;
  }
  throw new Error('the font has no format 4 cmap');
}

/** The contours of a simple glyph, as arrays of on-curve points. */
function readContours(glyf, loca, longOffsets, glyph) {
  const at = (index) =>
    longOffsets ? loca.readUInt32BE(index * 4) : loca.readUInt16BE(index * 2) * 2;
  const start = at(glyph);
  if (at(glyph + 1) === start) return [];
  const count = glyf.readInt16BE(start);
  if (count < 0) throw new Error(`glyph ${glyph} is a composite glyph`);
  const endPoints = [];
  for (let index = 0; index < count; index++)
    endPoints.push(glyf.readUInt16BE(start + 10 + index * 2));
  const points = count === 0 ? 0 : endPoints[count - 1] + 1;
  let cursor = start + 10 + count * 2;
  cursor += 2 + glyf.readUInt16BE(cursor);
  const flags = [];
  while (flags.length < points) {
    const flag = glyf[cursor++];
    flags.push(flag);
    if (flag & 8) for (let repeat = glyf[cursor++]; repeat > 0; repeat--) flags.push(flag);
  }
  const coordinates = (shortBit, sameBit) => {
    const values = [];
    let value = 0;
    for (const flag of flags) {
      if (flag & shortBit) value += flag & sameBit ? glyf[cursor++] : -glyf[cursor++];
      else if (!(flag & sameBit)) {
        value += glyf.readInt16BE(cursor);
        cursor += 2;
      }
      values.push(value);
    }
    return values;
  };
  const xs = coordinates(2, 16);
  const ys = coordinates(4, 32);
  const contours = [];
  let first = 0;
  for (const last of endPoints) {
    const raw = [];
    for (let index = first; index <= last; index++) {
      raw.push({ x: xs[index], y: ys[index], on: (flags[index] & 1) === 1 });
    }
    contours.push(flatten(raw));
    first = last + 1;
  }
  return contours;
}

/**
 * A closed TrueType contour as a polygon: quadratic segments (an off-curve point between two
 * on-curve ones, with implied on-curve midpoints between two off-curve points) are flattened.
 */
function flatten(points) {
  if (points.length === 0) return [];
  const start = points.findIndex((point) => point.on);
  const ring =
    start === -1
      ? [
          {
            x: (points[0].x + points.at(-1).x) / 2,
            y: (points[0].y + points.at(-1).y) / 2,
            on: true,
          },
          ...points,
        ]
      : [...points.slice(start), ...points.slice(0, start)];
  const polygon = [[ring[0].x, ring[0].y]];
  let current = ring[0];
  for (let index = 1; index <= ring.length; index++) {
    const point = ring[index % ring.length];
    if (point.on) {
      polygon.push([point.x, point.y]);
      current = point;
      continue;
    }
    const following = ring[(index + 1) % ring.length];
    const end = following.on
      ? following
      : { x: (point.x + following.x) / 2, y: (point.y + following.y) / 2, on: true };
    for (let step = 1; step <= 8; step++) {
      const t = step / 8;
      const a = (1 - t) * (1 - t);
      const b = 2 * (1 - t) * t;
      const c = t * t;
      polygon.push([
        a * current.x + b * point.x + c * end.x,
        a * current.y + b * point.y + c * end.y,
      ]);
    }
    current = end;
    if (following.on) index++;
  }
  return polygon;
}

/** Non-zero winding number of the point (x, y) for straight-edged contours. */
function winding(contours, x, y) {
  let total = 0;
  for (const contour of contours) {
    for (let index = 0; index < contour.length; index++) {
      const [x0, y0] = contour[index];
      const [x1, y1] = contour[(index + 1) % contour.length];
      if (y0 <= y ? y1 > y : y1 <= y) {
        const cross = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
        if (y1 > y0 ? cross > 0 : cross < 0) total += y1 > y0 ? 1 : -1;
      }
    }
  }
  return total;
}

/** The subset's code points: ranges, plus the Han and Hangul of the legacy CJK character sets. */
function subsetCodePoints() {
  const set = new Set();
  const range = (from, to) => {
    for (let code = from; code <= to; code++) set.add(code);
  };
  range(0x20, 0x7e); // ASCII
  range(0xa0, 0x24f); // Latin-1, Latin Extended-A and -B
  range(0x370, 0x3ff); // Greek
  range(0x400, 0x45f); // Cyrillic
  range(0x2010, 0x205e); // general punctuation
  range(0x20a0, 0x20bf); // currency
  range(0x2190, 0x21ff); // arrows
  range(0x2460, 0x24ff); // enclosed alphanumerics
  range(0x2500, 0x25ff); // box drawing, blocks, shapes
  range(0x2600, 0x26ff); // miscellaneous symbols
  range(0x3000, 0x303f); // CJK symbols and punctuation
  range(0x3040, 0x30ff); // hiragana, katakana
  range(0x3131, 0x318e); // Hangul compatibility jamo
  range(0xff01, 0xff65); // full-width forms
  range(0xffe0, 0xffe6);
  const decodeTable = (encoding, rows, columns) => {
    const decoder = new TextDecoder(encoding, { fatal: false });
    for (const [rowFrom, rowTo] of rows) {
      for (let row = rowFrom; row <= rowTo; row++) {
        for (const [from, to] of columns) {
          for (let column = from; column <= to; column++) {
            const text = decoder.decode(new Uint8Array([row, column]));
            const code = text.codePointAt(0);
            if ([...text].length === 1 && code !== 0xfffd && code >= 0x1100 && code <= 0xffff) {
              set.add(code);
            }
          }
        }
      }
    }
  };
  decodeTable('gbk', [[0xb0, 0xf7]], [[0xa1, 0xfe]]); // GB 2312 Han, 6763
  decodeTable(
    'big5',
    [[0xa4, 0xc6]],
    [
      [0x40, 0x7e],
      [0xa1, 0xfe],
    ],
  ); // Big5 level 1, 5401
  decodeTable('euc-jp', [[0xb0, 0xf4]], [[0xa1, 0xfe]]); // JIS X 0208 kanji, 6355
  decodeTable('euc-kr', [[0xb0, 0xc8]], [[0xa1, 0xfe]]); // KS X 1001 Hangul, 2350
  return [...set].sort((a, b) => a - b);
}

const tables = readWoff(readFileSync(source));
const unitsPerEm = tables.head.readUInt16BE(18);
const longOffsets = tables.head.readInt16BE(50) === 1;
const ascender = tables.hhea.readInt16BE(4);
const metrics = tables.hhea.readUInt16BE(34);
const pixel = unitsPerEm / 16;
const cmap = readCmap(tables.cmap);
const advanceOf = (glyph) => tables.hmtx.readUInt16BE(Math.min(glyph, metrics - 1) * 4);

const narrow = [];
const wide = [];
for (const code of subsetCodePoints()) {
  const glyph = cmap.get(code);
  if (glyph === undefined) continue;
  const columns = advanceOf(glyph) > pixel * 8 ? 16 : 8;
  const contours = readContours(tables.glyf, tables.loca, longOffsets, glyph);
  const bitmap = Buffer.alloc(columns * 2);
  for (let row = 0; row < 16; row++) {
    const y = ascender - (row + 0.5) * pixel;
    for (let column = 0; column < columns; column++) {
      if (winding(contours, (column + 0.5) * pixel, y) !== 0) {
        const bit = row * columns + column;
        bitmap[bit >> 3] |= 0x80 >> (bit & 7);
      }
    }
  }
  (columns === 16 ? wide : narrow).push({ code, bitmap });
}

// Layout (big-endian): u16 narrow count, u16 wide count, the narrow code points (u16, sorted),
// the wide code points, then 16 bytes per narrow glyph and 32 per wide one (rows top to bottom,
// most significant bit on the left).
const header = Buffer.alloc(4 + 2 * (narrow.length + wide.length));
header.writeUInt16BE(narrow.length, 0);
header.writeUInt16BE(wide.length, 2);
[...narrow, ...wide].forEach(({ code }, index) => {
  header.writeUInt16BE(code, 4 + index * 2);
});
const raw = Buffer.concat([header, ...narrow.map((g) => g.bitmap), ...wide.map((g) => g.bitmap)]);
const packed = deflateSync(raw, { level: 9 });
const base64 = packed.toString('base64');

const name = (id) => {
  const table = tables.name;
  const strings = table.readUInt16BE(4);
  for (let index = 0; index < table.readUInt16BE(2); index++) {
    const record = 6 + index * 12;
    if (table.readUInt16BE(record) !== 3 || table.readUInt16BE(record + 6) !== id) continue;
    const bytes = table.subarray(strings + table.readUInt16BE(record + 10));
    let text = '';
    for (let at = 0; at < table.readUInt16BE(record + 8); at += 2) {
      text += String.fromCharCode(bytes.readUInt16BE(at));
    }
    return text;
  }
  return '';
};

const lines = base64.match(/.{1,100}/g);
writeFileSync(
  join(root, 'packages/core/src/preview/label-font-data.ts'),
  `/*! Layerloom label font: glyphs of UnifontEX ${name(5)} (${name(0)}), under the SIL Open Font
 * License 1.1, see fonts/LICENSE-label-font.txt in @layerloom/core. A subset rasterised at 16 px
 * by scripts/generate-label-font.mjs; it is not the font "UnifontExMono" (a Reserved Font Name). */

// Generated by scripts/generate-label-font.mjs: do not edit.

/** Glyph count: half-width (8×16) and full-width (16×16). */
export const labelFontGlyphs = { narrow: ${narrow.length}, wide: ${wide.length} } as const;

/** The glyph table, deflated and base64-encoded (layout in scripts/generate-label-font.mjs). */
export const labelFontData = [
${lines.map((line) => `  '${line}',`).join('\n')}
].join('');
`,
);
writeFileSync(
  join(root, 'packages/core/fonts/LICENSE-label-font.txt'),
  `The preview provider's label font (src/preview/label-font-data.ts, and the dist/ files built
from it) holds glyphs of UnifontEX ${name(5)}, a derivative of GNU Unifont, taken from the npm
package @fontsource/unifontex 5.2.6 and rasterised by scripts/generate-label-font.mjs in the
Layerloom repository. It is a Modified Version under the licence below and does not use the
Reserved Font Name.

${name(0)}

${name(13).replace(/\r\n/g, '\n').trim()}
`,
);
console.log(
  `${narrow.length} narrow + ${wide.length} wide glyphs: ${raw.length} bytes raw, ${packed.length} deflated, ${base64.length} base64`,
);
