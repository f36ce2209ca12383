import type { BlendMode } from './blend-mode.js';
import type { EncodedImage, ImageSize } from './encoded-image.js';

/** How a layer image is fitted into its placement box. */
export type Fit = 'cover' | 'contain' | 'fill';

/** Where a fitted image can sit inside its placement box (for `cover` and `contain`). */
export const anchors = [
  'center',
  'top',
  'bottom',
  'left',
  'right',
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
] as const;

/** Where a fitted image sits inside its placement box. */
export type Anchor = (typeof anchors)[number];

/** Where a layer goes on the canvas. Pixels; the box may extend past the canvas (clipped). */
export interface Placement {
  /** Left edge of the box on the canvas. @default 0 */
  readonly x?: number;
  /** Top edge of the box on the canvas. @default 0 */
  readonly y?: number;
  /** Box width. @default the canvas width */
  readonly width?: number;
  /** Box height. @default the canvas height */
  readonly height?: number;
  /** How the image is fitted into the box. @default 'cover' */
  readonly fit?: Fit;
  /** Where the fitted image sits in the box. @default 'center' */
  readonly anchor?: Anchor;
}

/** Fields shared by every {@link LayerMask}. */
interface LayerMaskBase {
  /** Blur radius of the mask edge, in pixels. @default 0 */
  readonly feather?: number;
  /** Swap the kept and removed areas. @default false */
  readonly invert?: boolean;
}

/** A mask read from an image: 255 (white or opaque) keeps the layer, 0 removes it. */
export interface ImageLayerMask extends LayerMaskBase {
  /** Discriminant: a mask read from an image. */
  readonly type: 'image';
  /** The mask image; it is resized to the layer's placement box. */
  readonly image: EncodedImage;
  /** Which channel is the mask. @default 'luminance' */
  readonly channel?: 'luminance' | 'alpha';
}

/** A rectangle or ellipse mask, in pixels relative to the layer's placement box. */
export interface ShapeLayerMask extends LayerMaskBase {
  /** The shape: a rectangle or an ellipse inscribed in the box. */
  readonly type: 'rect' | 'ellipse';
  /** Left edge of the shape's bounding box. */
  readonly x: number;
  /** Top edge of the shape's bounding box. */
  readonly y: number;
  /** Width of the shape's bounding box. */
  readonly width: number;
  /** Height of the shape's bounding box. */
  readonly height: number;
}

/** Limits where a layer shows: inside the mask the layer is kept, outside it is removed. */
export type LayerMask = ImageLayerMask | ShapeLayerMask;

/** Soft chroma-key matte: the key colour becomes transparent. */
export interface ChromaKeyMatte {
  /** The key colour (a CSS colour), e.g. `#00ff00`. */
  readonly chromaKey: string;
  /** Colour distance under which a pixel is fully keyed out, 0..1. @default 0.1 */
  readonly tolerance?: number;
  /** Width of the soft edge above `tolerance`, 0..1. @default 0.1 */
  readonly softness?: number;
  /**
   * Refine the keyed edge: re-estimate the fringe's alpha against the key colour, remove the
   * key's colour from semi-transparent pixels (decontamination), fill small keyed-out holes
   * inside the subject and feather along the alpha gradient. `matte: 'auto'` turns it on.
   * @default false
   */
  readonly refineEdges?: boolean;
}

/**
 * How a layer's background is removed: `none` keeps the image as painted, `alpha` uses the
 * image's own alpha channel, a {@link ChromaKeyMatte} keys out a plain background colour.
 * `auto` picks by capability: the provider's own transparency where it has it, else a chroma
 * key with refined edges (`{ chromaKey, refineEdges: true }`); the plan and the manifest show
 * which one was used.
 */
export type Matte = 'none' | 'alpha' | 'auto' | ChromaKeyMatte;

/** Colours to match a layer to instead of a reference layer. */
export interface HarmonyPalette {
  /** One or more CSS colours; their Oklab mean and spread are the target. */
  readonly palette: readonly string[];
}

/**
 * What colour harmony matches: `full` moves the mean and spread of lightness and both colour
 * axes; `white-balance` moves only the mean of the colour axes (lightness and contrast stay).
 */
export type HarmonyMode = 'full' | 'white-balance';

/**
 * Colour harmony: match a layer's colour statistics (alpha-weighted mean and spread per Oklab
 * channel) to a reference layer's or a palette's, before blending.
 */
export interface Harmonize {
  /** The id of a composited layer to match, or a {@link HarmonyPalette}. */
  readonly to: string | HarmonyPalette;
  /** How far to move, 0 (not at all) to 1 (all the way). @default 1 */
  readonly amount?: number;
  /** What to match. @default 'full' */
  readonly mode?: HarmonyMode;
}

/** A drop or contact shadow under a layer, made from the layer's alpha. */
export interface Shadow {
  /** Direction the shadow falls, in degrees: 0 right, 90 down (clockwise). @default 90 */
  readonly angle?: number;
  /** How far the shadow falls, in pixels. @default 2% of the layer's longer side */
  readonly distance?: number;
  /** Blur radius of the shadow's edge, in pixels. @default 8 */
  readonly blur?: number;
  /** Shadow opacity, 0..1. @default 0.5 */
  readonly opacity?: number;
  /** Shadow colour (a CSS colour). @default 'black' */
  readonly color?: string;
}

/** Light wrap: the backdrop's light bleeding over the layer's edges. */
export interface LightWrap {
  /** How much backdrop light reaches the edge, 0..1. @default 0.5 */
  readonly amount?: number;
  /** How far into the layer the light reaches, in pixels. @default 8 */
  readonly radius?: number;
}

/** One layer of a {@link Composition}: a prompt, the provider that paints it and how it blends. */
export interface Layer {
  /** Unique name within the composition, e.g. `hero`. */
  readonly id: string;
  /** What to paint. */
  readonly prompt: string;
  /**
   * Provider alias (a key of `createLoom({ providers })`), or a fallback list tried in order
   * when a provider fails.
   */
  readonly provider: string | readonly string[];
  /** What the image should not contain. */
  readonly negativePrompt?: string;
  /** Seed for the generation. @default the composition's `seed` */
  readonly seed?: number;
  /** Generation size (before fitting into `placement`). @default the placement box size */
  readonly size?: ImageSize;
  /** Where the layer goes on the canvas. @default the whole canvas */
  readonly placement?: Placement;
  /** W3C blend mode. @default 'normal' */
  readonly blend?: BlendMode;
  /** Layer opacity, 0..1. @default 1 */
  readonly opacity?: number;
  /**
   * Where the layer shows, when it is composited: white and opaque (255) = the layer shows,
   * black or transparent (0) = it is removed. The same convention as an inpainting mask
   * (`ImageRequest.mask`: white and opaque = repaint), so one mask image means "here" for both.
   */
  readonly mask?: LayerMask;
  /**
   * Background removal. @default 'alpha' for every layer but the bottom one (a chroma key
   * where the provider has no transparency), 'none' for the bottom layer
   */
  readonly matte?: Matte;
  /** Id of the layer whose image is this layer's input image (a chain). */
  readonly from?: string;
  /** How far an image-input step may move from its input, 0..1. */
  readonly strength?: number;
  /** Provider-specific options, passed through to the adapter. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Colour harmony with a reference layer or a palette (no provider call; cached images). */
  readonly harmonize?: Harmonize;
  /** A shadow under the layer, from its alpha. */
  readonly shadow?: Shadow;
  /** Light from the layers below wrapping over this layer's edges. */
  readonly lightWrap?: LightWrap;
}
