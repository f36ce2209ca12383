import { z } from 'zod';
import { packAliasPattern } from '../notation/pack-reference.js';
import { parseWorldPackSource } from '../packs/parse-world-pack-source.js';
import { parseSemanticVersion } from '../packs/semver-range.js';
import { blendModes } from '../types/blend-mode.js';
import type { Composition } from '../types/composition.js';
import type { Layer } from '../types/layer.js';
import { anchors } from '../types/layer.js';
import type { StyleStep } from '../types/style-step.js';
import { parseCssColor } from '../util/css-color.js';
import { expected } from './format-issues.js';
import { harmonyReferences } from './harmony-references.js';
import { integerRangeSchema, numberRangeSchema } from './range-schema.js';

/** Largest canvas or generation side accepted, in pixels. */
export const maxImageSide = 16_384;
/** Most layers in one composition. */
export const maxLayers = 1_000;

const namePattern = /^[\p{L}\p{N}_-]+$/u;

/** A layer id or provider alias: letters, digits, `_` or `-` in any script. */
export const nameSchema = z
  .string(expected('a name of letters, digits, `_` or `-`'))
  .max(100, expected('a name of at most 100 characters'))
  .regex(namePattern, expected('a name of letters, digits, `_` or `-`'));

const unit = (what: string) => numberRangeSchema(0, 1, what);
const side = integerRangeSchema(1, maxImageSide);
const coordinate = z
  .number(expected('a finite number of pixels'))
  .min(-maxImageSide * 4, expected('a finite number of pixels'))
  .max(maxImageSide * 4, expected('a finite number of pixels'));
const positivePixels = z
  .number(expected(`a number of pixels from 1 to ${maxImageSide * 4}`))
  .min(1, expected(`a number of pixels from 1 to ${maxImageSide * 4}`))
  .max(maxImageSide * 4, expected(`a number of pixels from 1 to ${maxImageSide * 4}`));

/** A seed: a non-negative safe integer. */
export const seedSchema = z
  .number(expected('a non-negative integer'))
  .int(expected('a non-negative integer'))
  .min(0, expected('a non-negative integer'))
  .max(Number.MAX_SAFE_INTEGER, expected('a non-negative integer'));

/** A CSS colour (`#rrggbb`, `rgb()`, `hsl()`, a named colour) or `transparent`. */
export const cssColorSchema = z
  .string(expected('a CSS colour'))
  .refine((value) => parseCssColor(value) !== undefined, expected('a CSS colour'));

const providerSchema = z.union([nameSchema, z.array(nameSchema).min(1).max(10)], {
  error: '\u0001a provider alias or a non-empty list of aliases',
});
const optionsSchema = z.record(z.string(), z.unknown(), expected('an object of options'));
const promptSchema = z
  .string(expected('a string'))
  .min(1, expected('a non-empty prompt'))
  .max(100_000, expected('a prompt of at most 100000 characters'));

/** A generation size. */
export const imageSizeSchema = z.strictObject(
  { width: side, height: side },
  expected('`{ width, height }`'),
);

const placementSchema = z.strictObject(
  {
    x: coordinate.optional(),
    y: coordinate.optional(),
    width: positivePixels.optional(),
    height: positivePixels.optional(),
    fit: z.enum(['cover', 'contain', 'fill']).optional(),
    anchor: z.enum(anchors).optional(),
  },
  expected('an object `{ x, y, width, height, fit, anchor }`'),
);

const encodedImageSchema = z.strictObject(
  {
    bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, expected('a Uint8Array')),
    mediaType: z.string(expected('a media type such as "image/png"')),
  },
  expected('an image `{ bytes, mediaType }`'),
);

const maskCommon = {
  feather: z.number(expected('a radius from 0 to 1000')).min(0).max(1000).optional(),
  invert: z.boolean(expected('a boolean')).optional(),
};

const maskSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('image'),
      image: encodedImageSchema,
      channel: z.enum(['luminance', 'alpha']).optional(),
      ...maskCommon,
    }),
    z.strictObject({
      type: z.enum(['rect', 'ellipse']),
      x: coordinate,
      y: coordinate,
      width: positivePixels,
      height: positivePixels,
      ...maskCommon,
    }),
  ],
  expected('a mask with `type` "image", "rect" or "ellipse"'),
);

const matteSchema = z.union(
  [
    z.literal('none'),
    z.literal('alpha'),
    z.strictObject({
      chromaKey: cssColorSchema,
      tolerance: unit('a number from 0 to 1').optional(),
      softness: unit('a number from 0 to 1').optional(),
      refineEdges: z.boolean(expected('a boolean')).optional(),
    }),
    z.literal('auto'),
  ],
  expected('"none", "alpha", "auto" or `{ chromaKey, tolerance?, softness?, refineEdges? }`'),
);

/** Schema of a {@link Harmonize}; the amount's range is checked with the layer graph. */
const harmonizeSchema = z.strictObject(
  {
    to: z.union(
      [
        nameSchema,
        z.strictObject(
          {
            palette: z
              .array(cssColorSchema, expected('an array of CSS colours'))
              .min(1, expected('an array of 1 to 64 CSS colours'))
              .max(64, expected('an array of 1 to 64 CSS colours')),
          },
          expected('`{ palette }`'),
        ),
      ],
      expected('a layer id or `{ palette: [colours] }`'),
    ),
    amount: z.number(expected('a number from 0 to 1')).optional(),
    mode: z.enum(['full', 'white-balance'], expected('"full" or "white-balance"')).optional(),
  },
  expected('`{ to, amount?, mode? }`'),
);

const shadowSchema = z.strictObject(
  {
    angle: numberRangeSchema(-360, 360).optional(),
    distance: numberRangeSchema(0, 1000, 'a number of pixels from 0 to 1000').optional(),
    blur: numberRangeSchema(0, 1000, 'a number of pixels from 0 to 1000').optional(),
    opacity: unit('a number from 0 to 1').optional(),
    color: cssColorSchema.optional(),
  },
  expected('`{ angle?, distance?, blur?, opacity?, color? }`'),
);

const lightWrapSchema = z.strictObject(
  {
    amount: unit('a number from 0 to 1').optional(),
    radius: numberRangeSchema(1, 1000, 'a number of pixels from 1 to 1000').optional(),
  },
  expected('`{ amount?, radius? }`'),
);

/** Schema of one {@link Layer}. */
export const layerSchema = z.strictObject(
  {
    id: nameSchema,
    prompt: promptSchema,
    provider: providerSchema,
    negativePrompt: z.string(expected('a string')).optional(),
    seed: seedSchema.optional(),
    size: imageSizeSchema.optional(),
    placement: placementSchema.optional(),
    blend: z.enum(blendModes, expected(`a W3C blend mode (${blendModes.join(', ')})`)).optional(),
    opacity: unit('a number from 0 to 1').optional(),
    mask: maskSchema.optional(),
    matte: matteSchema.optional(),
    from: nameSchema.optional(),
    strength: unit('a number from 0 to 1').optional(),
    options: optionsSchema.optional(),
    harmonize: harmonizeSchema.optional(),
    shadow: shadowSchema.optional(),
    lightWrap: lightWrapSchema.optional(),
  },
  expected('a layer object'),
);

/** Schema of a {@link StyleStep}. */
export const styleStepSchema = z.strictObject(
  {
    prompt: promptSchema,
    provider: providerSchema,
    strength: unit('a number from 0 to 1').optional(),
    seed: seedSchema.optional(),
    negativePrompt: z.string(expected('a string')).optional(),
    options: optionsSchema.optional(),
  },
  expected('a style step object'),
);

const outputSchema = z.strictObject(
  {
    format: z.enum(['png', 'webp', 'jpeg', 'avif']),
    quality: integerRangeSchema(1, 100).optional(),
    compressionLevel: integerRangeSchema(0, 9).optional(),
    lossless: z.boolean(expected('a boolean')).optional(),
  },
  expected('`{ format, quality?, compressionLevel?, lossless? }`'),
);

/**
 * Step ids the pipeline uses for itself: the style pass's record, events and manifest entry are
 * `style`, the blend is `composite`. A layer with one of these ids would be mistaken for them.
 */
export const reservedStepIds: readonly string[] = ['style', 'composite'];

/**
 * Finds problems across layers: reserved or duplicate ids, `from` targets that are missing or
 * cyclic.
 */
function checkLayerGraph(layers: readonly Layer[], context: z.core.$RefinementCtx): void {
  const index = new Map<string, number>();
  layers.forEach((layer, position) => {
    if (reservedStepIds.includes(layer.id)) {
      context.addIssue({
        code: 'custom',
        path: ['layers', position, 'id'],
        message: `layer id "${layer.id}" is reserved for the ${layer.id === 'style' ? 'style pass' : 'blend step'}; expected another name (e.g. "${layer.id}-layer")`,
      });
    } else if (index.has(layer.id)) {
      context.addIssue({
        code: 'custom',
        path: ['layers', position, 'id'],
        message: `duplicate layer id "${layer.id}" (already used by layers[${index.get(layer.id)}])`,
      });
    } else index.set(layer.id, position);
  });
  layers.forEach((layer, position) => {
    if (layer.from === undefined) return;
    if (!index.has(layer.from)) {
      context.addIssue({
        code: 'custom',
        path: ['layers', position, 'from'],
        message: `no layer has the id "${layer.from}"; expected one of ${[...index.keys()].map((id) => `"${id}"`).join(', ')}`,
      });
      return;
    }
    const seen = new Set<string>([layer.id]);
    let current: Layer | undefined = layer;
    while (current?.from !== undefined) {
      if (seen.has(current.from)) {
        context.addIssue({
          code: 'custom',
          path: ['layers', position, 'from'],
          message: `the chain ${[...seen, current.from].map((id) => `"${id}"`).join(' -> ')} is a cycle`,
        });
        return;
      }
      seen.add(current.from);
      const next = index.get(current.from);
      current = next === undefined ? undefined : layers[next];
    }
  });
}

/** Finds unknown, non-composited, self and cyclic harmony references and bad amounts. */
function checkHarmony(composition: Composition, context: z.core.$RefinementCtx): void {
  const intermediates = new Set(composition.layers.flatMap((layer) => layer.from ?? []));
  const positions: number[] = [];
  const composited = composition.layers.filter((layer, position) => {
    if (intermediates.has(layer.id)) return false;
    positions.push(position);
    return true;
  });
  const { issues } = harmonyReferences(composited, {
    ...(composition.harmonize === undefined ? {} : { stack: composition.harmonize }),
    intermediates,
    pathOf: (index) => ['layers', positions[index]!],
  });
  for (const issue of issues) {
    context.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  }
  for (const layer of composition.layers) {
    if (intermediates.has(layer.id) && layer.harmonize !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['layers', composition.layers.indexOf(layer), 'harmonize'],
        message: `layer "${layer.id}" is a chain input that is not composited, so it cannot be harmonized; expected \`harmonize\` on the layer painted over it`,
      });
    }
  }
}

const packUseSchema = z.strictObject(
  {
    alias: z
      .string(expected('a pack alias of ASCII letters, digits or `_`'))
      .regex(packAliasPattern, expected('a pack alias of ASCII letters, digits or `_`')),
    source: z
      .string(expected('a pack source'))
      .min(1, expected('a pack source'))
      .max(1000, expected('a pack source of at most 1000 characters'))
      .refine(
        (source) => !/\s/.test(source) && parseWorldPackSource(source) !== undefined,
        expected(
          'a pack source: `NAME[@RANGE]` of a package or a path starting with `./`, `../` or `/`, without spaces',
        ),
      ),
    version: z
      .string(expected('a semantic version'))
      .refine((value) => parseSemanticVersion(value) !== undefined, expected('a semantic version'))
      .optional(),
    contentHash: z
      .string(expected('a sha256 in lower-case hex'))
      .regex(/^[0-9a-f]{64}$/, expected('a sha256 in lower-case hex'))
      .optional(),
  },
  expected('a pack use `{ alias, source, version?, contentHash? }`'),
);

/** Schema of a {@link Composition}: validates every field and the `from` graph. */
export const compositionSchema = z
  .strictObject(
    {
      width: side,
      height: side,
      background: cssColorSchema.optional(),
      layers: z
        .array(layerSchema, expected('an array of layers'))
        .min(1, expected('an array of at least one layer'))
        .max(maxLayers, expected(`an array of at most ${maxLayers} layers`)),
      style: styleStepSchema.optional(),
      seed: seedSchema.optional(),
      output: outputSchema.optional(),
      harmonize: harmonizeSchema.optional(),
      packs: z
        .array(packUseSchema, expected('an array of `{ alias, source }`'))
        .max(32, expected('at most 32 packs'))
        .optional(),
    },
    expected('a composition object'),
  )
  .superRefine((composition, context) => {
    checkLayerGraph(composition.layers as Layer[], context);
    checkHarmony(composition as Composition, context);
    const seen = new Set<string>();
    composition.packs?.forEach((use, index) => {
      if (seen.has(use.alias)) {
        context.addIssue({
          code: 'custom',
          path: ['packs', index, 'alias'],
          message: `the pack alias "${use.alias}" is used twice; expected unique aliases`,
        });
      }
      seen.add(use.alias);
    });
  });

// Compile-time check that the schemas and the hand-written, documented interfaces agree.
type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
      : T;
const schemasAgree: [
  Agrees<DeepMutable<z.output<typeof layerSchema>>, DeepMutable<Layer>>,
  Agrees<DeepMutable<z.output<typeof styleStepSchema>>, DeepMutable<StyleStep>>,
  Agrees<DeepMutable<z.output<typeof compositionSchema>>, DeepMutable<Composition>>,
] = [true, true, true];
void schemasAgree;
