import type { GoogleImageTier } from './google-image-models.js';

/** Token prices of a Gemini image model, in US dollars per million tokens. */
export interface GoogleImageTokenPrices {
  /** Prompt and input image tokens. */
  readonly input: number;
  /** Output text (and thinking) tokens. */
  readonly textOutput: number;
  /** Output image tokens. */
  readonly imageOutput: number;
}

/** Prices of one model. */
export interface GoogleImagePrice {
  /**
   * Price of one image in US dollars by resolution tier, e.g. `{ '1K': 0.039 }`: what Imagen
   * bills, and the estimate of a Gemini image before the call.
   */
  readonly perImage?: Readonly<Partial<Record<GoogleImageTier, number>>>;
  /** Token prices; used when the answer reports `usageMetadata` (Gemini models). */
  readonly tokens?: GoogleImageTokenPrices;
}

/** Prices by model id. */
export type GoogleImagePrices = Readonly<Record<string, GoogleImagePrice>>;

/**
 * The Gemini API's published paid-tier prices for image output, as of November 2026 (standard
 * tier, not batch). A Gemini image costs its output image tokens: 1290 for gemini-2.5-flash-image
 * ($0.039), 1120 at 1K and 2K and 2000 at 4K for gemini-3-pro-image-preview ($0.134, $0.24).
 * Models without published prices (gemini-3.1-flash-image-preview) are left out: their calls
 * report no `costUsd` unless you add a price with the `prices` setting of `createGoogle`, which
 * replaces entries of this table model by model.
 */
export const defaultGoogleImagePrices: GoogleImagePrices = {
  'gemini-2.5-flash-image': {
    perImage: { '1K': 0.039 },
    tokens: { input: 0.3, textOutput: 2.5, imageOutput: 30 },
  },
  'gemini-3-pro-image-preview': {
    perImage: { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
    tokens: { input: 2, textOutput: 12, imageOutput: 120 },
  },
  'imagen-4.0-generate-001': { perImage: { '1K': 0.04, '2K': 0.04 } },
  'imagen-4.0-ultra-generate-001': { perImage: { '1K': 0.06, '2K': 0.06 } },
  'imagen-4.0-fast-generate-001': { perImage: { '1K': 0.02 } },
  'imagen-3.0-generate-002': { perImage: { '1K': 0.03 } },
};
