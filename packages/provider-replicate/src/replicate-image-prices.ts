/**
 * The price of one Replicate model: per output image, or per second of `metrics.predict_time`
 * (the hardware's rate; models that run on your own hardware or are billed by time).
 */
export type ReplicateImagePrice =
  | {
      /** US dollars per output image. */
      readonly perImage: number;
    }
  | {
      /** US dollars per second of `metrics.predict_time`. */
      readonly perSecond: number;
      /**
       * Typical `predict_time` of one image, in seconds, for `estimateCostUsd` (plans) before
       * any call. Without it, time-billed models estimate no cost.
       */
      readonly estimatedSeconds?: number;
    };

/** Prices by model (`owner/name`, or a bare version id). */
export type ReplicateImagePrices = Readonly<Record<string, ReplicateImagePrice>>;

/**
 * Replicate's prices of the well-known image models, as their model pages listed them when this
 * adapter was written (December 2026; check replicate.com/pricing). The official FLUX, Ideogram
 * and Recraft models are billed per output image; SDXL runs on an Nvidia A40 (Large), billed by
 * the second. Replace entries model by model with the `prices` setting of `createReplicate`;
 * models without an entry report no `costUsd`.
 */
export const defaultReplicateImagePrices: ReplicateImagePrices = {
  'black-forest-labs/flux-schnell': { perImage: 0.003 },
  'black-forest-labs/flux-dev': { perImage: 0.025 },
  'black-forest-labs/flux-1.1-pro': { perImage: 0.04 },
  'stability-ai/sdxl': { perSecond: 0.000725, estimatedSeconds: 10 },
  'ideogram-ai/ideogram-v2': { perImage: 0.08 },
  'recraft-ai/recraft-v3': { perImage: 0.04 },
};
