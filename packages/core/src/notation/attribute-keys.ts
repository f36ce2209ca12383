/** Keys a layer's attribute block accepts (besides `opt.KEY`), with their short forms. */
export const layerAttributeKeys = [
  'x',
  'y',
  'w',
  'width',
  'h',
  'height',
  'fit',
  'anchor',
  'blend',
  'opacity',
  'seed',
  'negative',
  'size',
  'matte',
  'from',
  'strength',
  'harmonize',
  'shadow',
  'wrap',
] as const;

/** Keys the style line's attribute block accepts (besides `opt.KEY`). */
export const styleAttributeKeys = ['strength', 'seed', 'negative'] as const;

/** Keys the `format` directive's attribute block accepts. */
export const formatAttributeKeys = ['quality', 'compression', 'lossless'] as const;

/** The prefix of provider options, `opt.KEY`. */
export const optionPrefix = 'opt.';

const keysByLength: string[][] = [];
for (const key of [...layerAttributeKeys, ...formatAttributeKeys]) {
  const sameLength = keysByLength[key.length];
  if (sameLength === undefined) keysByLength[key.length] = [key];
  else sameLength.push(key);
}

/**
 * The known key written at `[start, end)` of `text`, as the shared constant string (so reading
 * a key allocates nothing and looking it up hits a cached hash), or `undefined`.
 */
export function knownAttributeKeyAt(text: string, start: number, end: number): string | undefined {
  const candidates = keysByLength[end - start];
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (text.startsWith(candidate, start)) return candidate;
  return undefined;
}
