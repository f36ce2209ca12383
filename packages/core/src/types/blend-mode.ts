/** The 16 blend modes of W3C Compositing and Blending Level 1, in the spec's order. */
export const blendModes = [
  'normal',
  'multiply',
  'screen',
  'overlay',
  'darken',
  'lighten',
  'color-dodge',
  'color-burn',
  'hard-light',
  'soft-light',
  'difference',
  'exclusion',
  'hue',
  'saturation',
  'color',
  'luminosity',
] as const;

/** A W3C blend-mode name (`mix-blend-mode` values). */
export type BlendMode = (typeof blendModes)[number];
