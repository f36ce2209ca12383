import { parseCssColor } from '../util/css-color.js';

const namedKeys: Readonly<Record<string, string>> = {
  '#00ff00': 'pure green',
  '#0000ff': 'pure blue',
  '#ff00ff': 'magenta',
  '#00ffff': 'cyan',
  '#ff0000': 'pure red',
};

const hex = (value: number) => Math.round(value).toString(16).padStart(2, '0');

/**
 * The sentence added to a layer's prompt when its background is keyed out: it asks for the
 * subject alone on a flat background of the key colour, so that the compositor can remove it.
 *
 * @param chromaKey - the key colour (a CSS colour).
 * @returns the suffix, starting with a separator.
 */
export function chromaKeyPromptSuffix(chromaKey: string): string {
  const color = parseCssColor(chromaKey);
  const code = color === undefined ? chromaKey : `#${hex(color.r)}${hex(color.g)}${hex(color.b)}`;
  const name = namedKeys[code];
  const described = name === undefined ? code : `${name} (${code})`;
  return `. Isolated subject on a plain, flat, uniform ${described} background, with no shadows, gradients or other objects on it.`;
}
