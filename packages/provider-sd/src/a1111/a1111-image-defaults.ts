import { expected, integerRangeSchema } from '@layerloom/core';
import { z } from 'zod';
import { samplingDefaultsShape } from '../shared/sampling-defaults-shape.js';
import { nonEmptyStringSchema } from '../shared/settings-schemas.js';

/**
 * A LayerDiffuse always-on script (Forge's `sd-forge-layerdiffuse`), added to requests that ask
 * for a transparent cut-out. Configuring it makes `capabilities.transparency` true.
 */
export interface A1111LayerDiffuse {
  /** Title of the always-on script; the server matches it case-insensitively. @default 'LayerDiffuse' */
  readonly script?: string;
  /** The script's `args`, exactly as the installed extension version expects them. */
  readonly args: readonly unknown[];
}

/** How img2img fits an input image whose size differs from the requested one. */
export type A1111ResizeMode = 'resize' | 'crop-and-resize' | 'resize-and-fill' | 'latent-upscale';

/** What fills the masked area before inpainting starts. */
export type A1111InpaintingFill = 'fill' | 'original' | 'latent-noise' | 'latent-nothing';

/** Settings applied to every call of one A1111/Forge provider (`.image(checkpoint, defaults)`). */
export interface A1111ImageDefaults {
  /** Sampler (`sampler_name`), e.g. `DPM++ 2M`. @default the server's default (`Euler`) */
  readonly sampler?: string;
  /** Scheduler (`scheduler`, A1111 1.9+ and Forge), e.g. `karras`. @default 'automatic' */
  readonly scheduler?: string;
  /** Sampling steps (`steps`). @default the server's default (50) */
  readonly steps?: number;
  /** Classifier-free guidance scale (`cfg_scale`). @default the server's default (7) */
  readonly cfgScale?: number;
  /** Negative prompt used when a request has none. @default '' */
  readonly negativePrompt?: string;
  /** `denoising_strength` for img2img when the request has no `strength`. @default 0.75 */
  readonly strength?: number;
  /** img2img `resize_mode` when the input size differs. @default the server's default ('resize') */
  readonly resizeMode?: A1111ResizeMode;
  /** `mask_blur` in pixels for inpainting. @default 4 */
  readonly maskBlur?: number;
  /** `inpainting_fill`: what the masked area starts from. @default 'original' */
  readonly inpaintingFill?: A1111InpaintingFill;
  /** `inpaint_full_res`: repaint only the masked area at full resolution. @default false */
  readonly inpaintOnlyMasked?: boolean;
  /**
   * `inpainting_mask_invert`: repaint where the mask says keep (black or transparent) instead
   * of where it says repaint (Layerloom's convention: white and opaque). @default false
   */
  readonly invertMask?: boolean;
  /**
   * `override_settings_restore_afterwards`: put the server's settings (the checkpoint above
   * all) back after the call. Sent either way, on purpose: `true` leaves a shared server as the
   * other clients set it; `false` keeps the checkpoint loaded, faster on a server of your own.
   * @default true
   */
  readonly restoreSettings?: boolean;
  /** LayerDiffuse script for native transparency (Forge). @default none: no native transparency */
  readonly layerDiffuse?: A1111LayerDiffuse;
  /**
   * Raw request fields merged into every payload, e.g. `{ alwayson_scripts: { ControlNet: … } }`
   * or `{ enable_hr: true }`. A request's own `options` are merged over these;
   * `override_settings` and `alwayson_scripts` are merged key by key.
   * @default {}
   */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Smallest side the model accepts. @default 64 */
  readonly minSize?: number;
  /** Largest side the model accepts. @default 2048 */
  readonly maxSize?: number;
}

const layerDiffuseSchema = z.strictObject(
  {
    script: nonEmptyStringSchema.optional(),
    args: z.array(z.unknown(), expected('an array of script arguments')),
  },
  expected('`{ script?, args }`'),
);

/** Validates {@link A1111ImageDefaults}. */
export const a1111ImageDefaultsSchema = z.strictObject(
  {
    ...samplingDefaultsShape(1000),
    resizeMode: z
      .enum(['resize', 'crop-and-resize', 'resize-and-fill', 'latent-upscale'])
      .optional(),
    maskBlur: integerRangeSchema(0, 64).optional(),
    inpaintingFill: z.enum(['fill', 'original', 'latent-noise', 'latent-nothing']).optional(),
    inpaintOnlyMasked: z.boolean(expected('a boolean')).optional(),
    invertMask: z.boolean(expected('a boolean')).optional(),
    restoreSettings: z.boolean(expected('a boolean')).optional(),
    layerDiffuse: layerDiffuseSchema.optional(),
    options: z.record(z.string(), z.unknown(), expected('an object of request fields')).optional(),
  },
  expected('an object of A1111 defaults'),
);

/** Numeric values of {@link A1111ResizeMode} on the wire. */
export const resizeModeValues: Readonly<Record<A1111ResizeMode, number>> = {
  resize: 0,
  'crop-and-resize': 1,
  'resize-and-fill': 2,
  'latent-upscale': 3,
};

/** Numeric values of {@link A1111InpaintingFill} on the wire. */
export const inpaintingFillValues: Readonly<Record<A1111InpaintingFill, number>> = {
  fill: 0,
  original: 1,
  'latent-noise': 2,
  'latent-nothing': 3,
};

/** Whether `options` already carry a LayerDiffuse always-on script (set by hand). */
export function hasLayerDiffuseScript(options: Readonly<Record<string, unknown>> | undefined) {
  const scripts = options?.alwayson_scripts;
  if (scripts === null || typeof scripts !== 'object') return false;
  return Object.keys(scripts).some(
    (title) => title.toLowerCase().replace(/\W/g, '') === 'layerdiffuse',
  );
}
