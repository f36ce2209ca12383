import { z } from 'zod';
import { cssColorSchema, imageSizeSchema, seedSchema } from '../schema/composition-schema.js';
import { expected } from '../schema/format-issues.js';
import { integerRangeSchema, numberRangeSchema } from '../schema/range-schema.js';
import { blendModes } from '../types/blend-mode.js';
import { anchors } from '../types/layer.js';
import { parseSemanticVersion } from './semver-range.js';

/** File name of a pack's manifest, at the root of the pack's folder or npm package. */
export const worldPackManifestFile = 'world-pack.json';

/** Id pattern of entities, styles and variables: ASCII letters, digits, `_` or `-`. */
const idPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const idSchema = z
  .string(expected('an id of ASCII letters, digits, `_` or `-` starting with a letter'))
  .regex(idPattern, expected('an id of ASCII letters, digits, `_` or `-` starting with a letter'));

/** An npm package name, scoped or not (`ember-world`, `@studio/ember-world`). */
const packageNamePattern = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

const text = (what: string, max: number) =>
  z
    .string(expected(what))
    .min(1, expected(`a non-empty ${what.replace(/^an? /, '')}`))
    .max(max, expected(`${what} of at most ${max} characters`));

const promptSchema = text('a prompt', 10_000);
const record = <T extends z.ZodType>(value: T, what: string) =>
  z.record(idSchema, value, expected(`an object of ${what} keyed by id`));

/**
 * A path inside the pack: relative, `/`-separated, no `..` or `.` segment, no backslash, no
 * drive letter. The loader checks again, on the real path, that it stays inside the pack.
 */
export const packRelativePathSchema = z
  .string(expected('a relative path inside the pack'))
  .min(1, expected('a relative path inside the pack'))
  .max(512, expected('a path of at most 512 characters'))
  .refine(
    (value) =>
      !value.startsWith('/') &&
      !value.includes('\\') &&
      !/^[A-Za-z]:/.test(value) &&
      !value.includes('\0') &&
      value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'),
    expected('a relative path inside the pack (no `..`, no leading `/`, `/` as separator)'),
  );

const loraSchema = z.strictObject(
  {
    name: text('a LoRA name', 200),
    weight: numberRangeSchema(-4, 4, 'a LoRA weight from -4 to 4').optional(),
  },
  expected('a LoRA `{ name, weight? }`'),
);

const samplingShape = {
  sampler: text('a sampler name', 100).optional(),
  scheduler: text('a scheduler name', 100).optional(),
  steps: integerRangeSchema(1, 500).optional(),
  cfgScale: numberRangeSchema(0, 100, 'a CFG scale from 0 to 100').optional(),
  seed: seedSchema.optional(),
};

/** Binding for AUTOMATIC1111 / Forge servers (provider id `a1111`). */
const a1111BindingSchema = z.strictObject(
  {
    checkpoint: text('a checkpoint name', 300).optional(),
    loras: z.array(loraSchema).max(16).optional(),
    ...samplingShape,
  },
  expected('an A1111 binding `{ checkpoint?, loras?, sampler?, steps?, cfgScale?, seed? }`'),
);

const nodeOverridesSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, expected('a node id')),
  z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean()])),
  expected('an object of node id → `{ input: value }`'),
);

/** Binding for ComfyUI servers (provider id `comfyui`). */
const comfyuiBindingSchema = z.strictObject(
  {
    workflow: packRelativePathSchema.optional(),
    nodeOverrides: nodeOverridesSchema.optional(),
    checkpoint: text('a checkpoint name', 300).optional(),
    loras: z.array(loraSchema).max(16).optional(),
    ...samplingShape,
  },
  expected('a ComfyUI binding `{ workflow?, nodeOverrides?, checkpoint?, loras?, … }`'),
);

/** Binding for OpenAI Images (provider id `openai`). */
const openaiBindingSchema = z.strictObject(
  {
    model: text('a model id', 100).optional(),
    referenceImages: z.array(packRelativePathSchema).max(16).optional(),
    quality: z.enum(['auto', 'low', 'medium', 'high', 'standard', 'hd']).optional(),
  },
  expected('an OpenAI binding `{ model?, referenceImages?, quality? }`'),
);

/** Binding for any other provider id: model and free options passed through as is. */
const genericBindingSchema = z.strictObject(
  {
    model: text('a model id', 300).optional(),
    referenceImages: z.array(packRelativePathSchema).max(16).optional(),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    ...samplingShape,
  },
  expected('a binding `{ model?, referenceImages?, options?, … }`'),
);

/**
 * Per-provider bindings, keyed by provider id (`Provider.id`: `a1111`, `comfyui`, `openai`, or
 * any other). A binding applies only when the layer's alias resolves to a provider of that id.
 */
const bindingsSchema = z
  .strictObject({
    a1111: a1111BindingSchema.optional(),
    comfyui: comfyuiBindingSchema.optional(),
    openai: openaiBindingSchema.optional(),
  })
  .catchall(genericBindingSchema);

const placementSchema = z.strictObject(
  {
    x: numberRangeSchema(-1, 2, 'a fraction of the canvas from -1 to 2').optional(),
    y: numberRangeSchema(-1, 2, 'a fraction of the canvas from -1 to 2').optional(),
    width: numberRangeSchema(0.001, 4, 'a fraction of the canvas from 0.001 to 4').optional(),
    height: numberRangeSchema(0.001, 4, 'a fraction of the canvas from 0.001 to 4').optional(),
    fit: z.enum(['cover', 'contain', 'fill']).optional(),
    anchor: z.enum(anchors).optional(),
  },
  expected('a placement `{ x?, y?, width?, height?, fit?, anchor? }` in fractions of the canvas'),
);

const matteSchema = z.union(
  [
    z.literal('none'),
    z.literal('alpha'),
    z.strictObject({
      chromaKey: cssColorSchema,
      tolerance: numberRangeSchema(0, 1, 'a number from 0 to 1').optional(),
      softness: numberRangeSchema(0, 1, 'a number from 0 to 1').optional(),
    }),
  ],
  expected('"none", "alpha" or `{ chromaKey, tolerance?, softness? }`'),
);

/** Layer defaults an entity gives the layer it is the subject of. */
const entityDefaultsSchema = z.strictObject(
  {
    placement: placementSchema.optional(),
    blend: z.enum(blendModes, expected(`a W3C blend mode (${blendModes.join(', ')})`)).optional(),
    opacity: numberRangeSchema(0, 1, 'a number from 0 to 1').optional(),
    matte: matteSchema.optional(),
    size: imageSizeSchema.optional(),
  },
  expected('layer defaults `{ placement?, blend?, opacity?, matte?, size? }`'),
);

const referenceImageSchema = z.strictObject(
  {
    path: packRelativePathSchema,
    description: text('a description', 500).optional(),
  },
  expected('a reference image `{ path, description? }`'),
);

/** The kinds of entity a world holds. */
export const entityKinds = ['character', 'creature', 'plant', 'prop', 'scene', 'terrain'] as const;

const entitySchema = z.strictObject(
  {
    kind: z.enum(entityKinds),
    name: text('a display name', 200).optional(),
    prompt: promptSchema,
    negativePrompt: promptSchema.optional(),
    tags: z.array(text('a tag', 64)).max(64).optional(),
    defaults: entityDefaultsSchema.optional(),
    referenceImages: z.array(referenceImageSchema).max(16).optional(),
    bindings: bindingsSchema.optional(),
  },
  expected('an entity `{ kind, prompt, … }`'),
);

const styleSchema = z.strictObject(
  {
    name: text('a display name', 200).optional(),
    prompt: promptSchema,
    negativePrompt: promptSchema.optional(),
    strength: numberRangeSchema(0, 1, 'a number from 0 to 1').optional(),
    suggestedProvider: text('a provider id', 100).optional(),
    bindings: bindingsSchema.optional(),
  },
  expected('a style `{ prompt, strength?, suggestedProvider?, bindings? }`'),
);

const authorSchema = z.strictObject(
  {
    name: text('a name', 200),
    email: text('an e-mail address', 200).optional(),
    url: text('a URL', 500).optional(),
  },
  expected('an author `{ name, email?, url? }`'),
);

/** Schema of a pack manifest (`world-pack.json`). Data only: nothing in it is ever run. */
export const worldPackManifestSchema = z
  .strictObject(
    {
      $schema: z.string().optional(),
      name: z
        .string(expected('an npm package name such as "@studio/ember-world"'))
        .max(214)
        .regex(packageNamePattern, expected('an npm package name such as "@studio/ember-world"')),
      version: z
        .string(expected('a semantic version such as "1.2.0"'))
        .refine(
          (value) => parseSemanticVersion(value) !== undefined,
          expected('a semantic version such as "1.2.0"'),
        ),
      description: text('a description', 2_000).optional(),
      license: text('an SPDX license expression or "UNLICENSED"', 200),
      authors: z.array(authorSchema).min(1, expected('at least one author')).max(50),
      attribution: text('an attribution text', 2_000),
      homepage: text('a URL', 500).optional(),
      variables: record(text('a variable value', 10_000), 'variable values').optional(),
      entities: record(entitySchema, 'entities'),
      styles: record(styleSchema, 'styles').optional(),
    },
    expected('a world pack manifest object'),
  )
  .superRefine((manifest, context) => {
    for (const id of Object.keys(manifest.styles ?? {})) {
      if (Object.hasOwn(manifest.entities, id) || id === 'styles') {
        context.addIssue({
          code: 'custom',
          path: ['styles', id],
          message: `style id "${id}" is also an entity id (or "styles"); expected a distinct id`,
        });
      }
    }
    if (Object.hasOwn(manifest.entities, 'styles')) {
      context.addIssue({
        code: 'custom',
        path: ['entities', 'styles'],
        message: 'entity id "styles" is reserved for `$alias.styles.ID`; expected another id',
      });
    }
  });

/** A pack manifest (`world-pack.json`), as {@link worldPackManifestSchema} checks it. */
export type WorldPackManifest = z.output<typeof worldPackManifestSchema>;
/** One entity of a pack: a character, creature, plant, prop, scene or terrain. */
export type WorldPackEntity = WorldPackManifest['entities'][string];
/** One style of a pack. */
export type WorldPackStyle = NonNullable<WorldPackManifest['styles']>[string];
/** Per-provider bindings of an entity or a style. */
export type WorldPackBindings = NonNullable<WorldPackEntity['bindings']>;
/** The kind of an entity. */
export type EntityKind = (typeof entityKinds)[number];
