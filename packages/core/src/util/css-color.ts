/** A colour as 8-bit sRGB channels and an alpha from 0 to 1. */
export interface RgbaColor {
  /** Red, 0..255. */
  readonly r: number;
  /** Green, 0..255. */
  readonly g: number;
  /** Blue, 0..255. */
  readonly b: number;
  /** Alpha, 0..1. */
  readonly a: number;
}

const namedColors = new Map<string, number>(
  (
    'aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc ' +
    'bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a ' +
    'burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50 ' +
    'cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b ' +
    'darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9 ' +
    'darkkhaki:bdb76b darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 ' +
    'darkorchid:9932cc darkred:8b0000 darksalmon:e9967a darkseagreen:8fbc8f ' +
    'darkslateblue:483d8b darkslategray:2f4f4f darkslategrey:2f4f4f darkturquoise:00ced1 ' +
    'darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff dimgray:696969 dimgrey:696969 ' +
    'dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff ' +
    'gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 gray:808080 green:008000 ' +
    'greenyellow:adff2f grey:808080 honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c ' +
    'indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5 ' +
    'lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff ' +
    'lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 ' +
    'lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa ' +
    'lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 ' +
    'lime:00ff00 limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 ' +
    'mediumaquamarine:66cdaa mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db ' +
    'mediumseagreen:3cb371 mediumslateblue:7b68ee mediumspringgreen:00fa9a ' +
    'mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970 mintcream:f5fffa ' +
    'mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6 ' +
    'olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 ' +
    'palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 ' +
    'papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 ' +
    'purple:800080 rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f royalblue:4169e1 ' +
    'saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee ' +
    'sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 ' +
    'slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 ' +
    'thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff ' +
    'whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32'
  )
    .split(' ')
    .map((entry) => {
      const [name, hex] = entry.split(':') as [string, string];
      return [name, Number.parseInt(hex, 16)] as const;
    }),
);

// The epsilon makes exact halves that float maths lands just under (127.4999…) round up, as CSS does.
const clampByte = (value: number): number => Math.min(255, Math.max(0, Math.round(value + 1e-9)));
const clampUnit = (value: number): number => Math.min(1, Math.max(0, value));

function parseHex(hex: string): RgbaColor | undefined {
  if (!/^[0-9a-f]+$/i.test(hex)) return undefined;
  const digit = (index: number, width: number) =>
    Number.parseInt(width === 1 ? hex[index]!.repeat(2) : hex.slice(index, index + 2), 16);
  if (hex.length === 3 || hex.length === 4) {
    return {
      r: digit(0, 1),
      g: digit(1, 1),
      b: digit(2, 1),
      a: hex.length === 4 ? digit(3, 1) / 255 : 1,
    };
  }
  if (hex.length === 6 || hex.length === 8) {
    return {
      r: digit(0, 2),
      g: digit(2, 2),
      b: digit(4, 2),
      a: hex.length === 8 ? digit(6, 2) / 255 : 1,
    };
  }
  return undefined;
}

/** Parses `50%` (of `full`) or a plain number; undefined when malformed. */
function parseComponent(text: string, full: number): number | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%?)$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2] === '%' ? (value / 100) * full : value;
}

function parseHue(text: string): number | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(deg|turn|rad|grad)?$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  switch (match[2]?.toLowerCase()) {
    case 'turn':
      return value * 360;
    case 'rad':
      return (value * 180) / Math.PI;
    case 'grad':
      return value * 0.9;
    default:
      return value;
  }
}

function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const h = (((hue % 360) + 360) % 360) / 360;
  const s = clampUnit(saturation);
  const l = clampUnit(lightness);
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number) => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return [channel(h + 1 / 3) * 255, channel(h) * 255, channel(h - 1 / 3) * 255];
}

function parseFunction(name: string, body: string): RgbaColor | undefined {
  const slash = body.split('/');
  if (slash.length > 2) return undefined;
  const main = slash[0]!.trim();
  const parts = main.includes(',') ? main.split(',').map((part) => part.trim()) : main.split(/\s+/);
  let alphaText = slash[1]?.trim();
  if (parts.length === 4 && slash.length === 1) alphaText = parts.pop();
  if (parts.length !== 3) return undefined;
  const alpha = alphaText === undefined ? 1 : parseComponent(alphaText, 1);
  if (alpha === undefined) return undefined;
  if (name === 'rgb' || name === 'rgba') {
    const [r, g, b] = parts.map((part) => parseComponent(part, 255));
    if (r === undefined || g === undefined || b === undefined) return undefined;
    return { r: clampByte(r), g: clampByte(g), b: clampByte(b), a: clampUnit(alpha) };
  }
  const hue = parseHue(parts[0]!);
  const saturation = parseComponent(parts[1]!, 1);
  const lightness = parseComponent(parts[2]!, 1);
  if (hue === undefined || saturation === undefined || lightness === undefined) return undefined;
  if (!parts[1]!.endsWith('%') || !parts[2]!.endsWith('%')) return undefined;
  const [r, g, b] = hslToRgb(hue, saturation, lightness);
  return { r: clampByte(r), g: clampByte(g), b: clampByte(b), a: clampUnit(alpha) };
}

/**
 * Parses a CSS colour: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`,
 * `hsl()`/`hsla()` (comma or space syntax), the named colours and `transparent`.
 *
 * @param text - the colour as written in CSS.
 * @returns the colour, or `undefined` when `text` is not a CSS colour this parser knows.
 */
export function parseCssColor(text: string): RgbaColor | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  if (value.startsWith('#')) return parseHex(value.slice(1));
  const named = namedColors.get(value);
  if (named !== undefined) {
    return { r: (named >> 16) & 255, g: (named >> 8) & 255, b: named & 255, a: 1 };
  }
  const match = /^(rgba?|hsla?)\(\s*([^()]*)\s*\)$/.exec(value);
  if (!match) return undefined;
  return parseFunction(match[1]!, match[2]!);
}
