/** An edit operation of the Stable Image API: `POST /v2beta/stable-image/edit/{operation}`. */
export type StabilityEditOperation =
  | 'inpaint'
  | 'search-and-replace'
  | 'erase'
  | 'remove-background'
  | 'outpaint';

/** A control service: `POST /v2beta/stable-image/control/{control}`. */
export type StabilityControl = 'sketch' | 'structure' | 'style';

/** The edit operations, for schemas and messages. */
export const stabilityEditOperations = [
  'inpaint',
  'search-and-replace',
  'erase',
  'remove-background',
  'outpaint',
] as const satisfies readonly StabilityEditOperation[];

/** The control services, for schemas and messages. */
export const stabilityControls = [
  'sketch',
  'structure',
  'style',
] as const satisfies readonly StabilityControl[];

/** What one endpoint takes, from the v2beta API reference. */
export interface StabilityEndpoint {
  /** Path below the base URL. */
  readonly path: string;
  /** The price table's key for a call to it (a model id for generate endpoints). */
  readonly priceKey: string;
  /** The form fields it accepts (files included). */
  readonly fields: ReadonlySet<string>;
  /** Needs an input `image`. */
  readonly needsImage: boolean;
  /** The output formats it can return. */
  readonly outputFormats: readonly ('png' | 'jpeg' | 'webp')[];
  /** Largest `grow_mask`, where it takes one. */
  readonly maxGrowMask?: number;
  /**
   * Input image limits: each side at least 64 px, at most `maxPixels` pixels, and — with
   * `aspect` — an aspect ratio from 1:2.5 to 2.5:1.
   */
  readonly input?: { readonly maxPixels: number; readonly aspect: boolean };
}

const allFormats = ['png', 'jpeg', 'webp'] as const;
const common = ['seed', 'output_format'];
const styled = [...common, 'style_preset'];
const editInput = { maxPixels: 9_437_184, aspect: false };

const endpoint = (
  path: string,
  priceKey: string,
  fields: readonly string[],
  rest: Partial<Omit<StabilityEndpoint, 'path' | 'priceKey' | 'fields'>> = {},
): StabilityEndpoint => ({
  path,
  priceKey,
  fields: new Set(fields),
  needsImage: rest.needsImage ?? true,
  outputFormats: rest.outputFormats ?? allFormats,
  ...(rest.maxGrowMask === undefined ? {} : { maxGrowMask: rest.maxGrowMask }),
  ...(rest.input === undefined ? {} : { input: rest.input }),
});

/**
 * The generate endpoint of a model.
 *
 * @param which - `core`, `ultra` or `sd3`.
 * @param priceKey - the model id.
 */
export function generateEndpoint(
  which: 'core' | 'ultra' | 'sd3',
  priceKey: string,
): StabilityEndpoint {
  const base = ['prompt', 'negative_prompt', 'aspect_ratio', ...styled];
  const extra =
    which === 'core'
      ? []
      : which === 'ultra'
        ? ['image', 'strength']
        : ['image', 'strength', 'mode', 'model', 'cfg_scale'];
  return endpoint(`/v2beta/stable-image/generate/${which}`, priceKey, [...base, ...extra], {
    needsImage: false,
  });
}

/** The edit endpoints, by operation. */
export const editEndpoints: Readonly<Record<StabilityEditOperation, StabilityEndpoint>> = {
  inpaint: endpoint(
    '/v2beta/stable-image/edit/inpaint',
    'inpaint',
    ['image', 'prompt', 'negative_prompt', 'mask', 'grow_mask', ...styled],
    { maxGrowMask: 100, input: editInput },
  ),
  'search-and-replace': endpoint(
    '/v2beta/stable-image/edit/search-and-replace',
    'search-and-replace',
    ['image', 'prompt', 'search_prompt', 'negative_prompt', 'grow_mask', ...styled],
    { maxGrowMask: 20, input: { ...editInput, aspect: true } },
  ),
  erase: endpoint(
    '/v2beta/stable-image/edit/erase',
    'erase',
    ['image', 'mask', 'grow_mask', ...common],
    {
      maxGrowMask: 20,
      input: editInput,
    },
  ),
  'remove-background': endpoint(
    '/v2beta/stable-image/edit/remove-background',
    'remove-background',
    ['image', 'output_format'],
    { outputFormats: ['png', 'webp'], input: { ...editInput, maxPixels: 4_194_304 } },
  ),
  outpaint: endpoint(
    '/v2beta/stable-image/edit/outpaint',
    'outpaint',
    ['image', 'prompt', 'left', 'right', 'up', 'down', 'creativity', ...styled],
    { input: { ...editInput, aspect: true } },
  ),
};

/** The control endpoints, by service. */
export const controlEndpoints: Readonly<Record<StabilityControl, StabilityEndpoint>> = {
  sketch: endpoint(
    '/v2beta/stable-image/control/sketch',
    'sketch',
    ['prompt', 'image', 'control_strength', 'negative_prompt', ...styled],
    { input: { ...editInput, aspect: true } },
  ),
  structure: endpoint(
    '/v2beta/stable-image/control/structure',
    'structure',
    ['prompt', 'image', 'control_strength', 'negative_prompt', ...styled],
    { input: { ...editInput, aspect: true } },
  ),
  style: endpoint(
    '/v2beta/stable-image/control/style',
    'style',
    ['prompt', 'image', 'negative_prompt', 'aspect_ratio', 'fidelity', ...styled],
    { input: { ...editInput, aspect: true } },
  ),
};
