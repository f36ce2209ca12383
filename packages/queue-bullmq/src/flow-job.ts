import type {
  CachePolicy,
  Matte,
  PlannedImageRequest,
  StepErrorPolicy,
  StepRecord,
} from '@layerloom/core';
import { z } from 'zod';

/** A reference to an image in the blob store: jobs carry these, never bytes. */
export interface BlobReference {
  /** Key in the blob store. */
  readonly key: string;
  /** sha256 of the bytes (checked when read). */
  readonly sha256: string;
  /** Media type, e.g. `image/png`. */
  readonly mediaType: string;
}

/**
 * A planned request as a job carries it: no image or mask (inputs are read from the blob store),
 * and reference images (a world pack's) as blob references.
 */
export type StepJobRequest = Omit<PlannedImageRequest, 'image' | 'mask' | 'referenceImages'> & {
  readonly referenceImages?: readonly BlobReference[];
};

/** One provider a step may be painted by (the plan's candidates, in fallback order). */
export interface StepJobCandidate {
  /** Provider alias: the queue its job runs on. */
  readonly alias: string;
  /** Provider id the submitter planned for (the worker checks it has the same). */
  readonly providerId: string;
  /** Model id the submitter planned for. */
  readonly modelId: string;
  /** The request for this provider. */
  readonly request: StepJobRequest;
  /** Matte the compositor applies to this candidate's image. */
  readonly matte: Matte;
  /** BullMQ attempts of its job (`maxRetries + 1` of the alias). */
  readonly attempts: number;
  /** Planning warnings of this candidate (size snapped, seed not sent…). */
  readonly warnings: readonly string[];
}

/** The data of a layer or style job: one step of a composition's flow, on one candidate's queue. */
export interface StepJobData {
  /** Format version. */
  readonly version: 2;
  /** The composition's flow id (every job id of the flow starts with it). */
  readonly flowId: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** Layer id, or `style`. */
  readonly stepId: string;
  /** The layer whose image this layer is painted over (`from`). */
  readonly from?: string;
  /** The layer's position in the stack, 0 on top (`ImageRequest.layerIndex`). */
  readonly layerIndex?: number;
  /** Candidates in fallback order. */
  readonly candidates: readonly StepJobCandidate[];
  /** The candidate this job paints with. */
  readonly candidateIndex: number;
  /** Provider calls made by earlier candidates. */
  readonly priorAttempts: number;
  /** Notes about earlier candidates that failed. */
  readonly notes: readonly string[];
  /** Plan warnings of the step (before the candidate's own). */
  readonly warnings: readonly string[];
  /** What a step that failed on every candidate does. */
  readonly onLayerError: StepErrorPolicy;
  /** Whether a checkpoint may be shared with other renders of the same request. */
  readonly cachePolicy: CachePolicy;
}

/** A composited layer as the compose job needs it. */
export interface ComposeJobLayer {
  /** Layer id (the step whose outcome holds its image). */
  readonly stepId: string;
  /** The layer as planned, JSON; an image mask is a {@link BlobReference} in `mask.image`. */
  readonly layer: Readonly<Record<string, unknown>>;
}

/** The data of a compose job: blends the painted layers of a flow on a worker. */
export interface ComposeJobData {
  /** Format version. */
  readonly version: 2;
  /** The flow. */
  readonly flowId: string;
  /** Canvas width. */
  readonly width: number;
  /** Canvas height. */
  readonly height: number;
  /** Canvas colour. */
  readonly background?: string;
  /** Encoding of the result (the composition's `output`). */
  readonly output?: Readonly<Record<string, unknown>>;
  /** Layers in composition order (first on top), chain intermediates excluded. */
  readonly layers: readonly ComposeJobLayer[];
}

/**
 * How a step ended, as its outcome record in the blob store says (`flows/<flowId>/<stepId>.json`).
 * A painted step is core's `StepRecord` (but its id and the alias, named `alias` here) with its
 * image in the blob store.
 */
export type StepOutcomeRecord =
  | (Omit<StepRecord, 'id' | 'image' | 'provider'> & {
      readonly status: 'painted';
      /** The alias that painted it. */
      readonly alias: string;
      /** Matte of the painting candidate. */
      readonly matte: Matte;
      /** The image. */
      readonly image: BlobReference;
      /** sha256 of the input image (chained layers, style). */
      readonly inputSha256?: string;
      /** The provider's own warnings (what the cache keeps with the image). */
      readonly resultWarnings?: readonly string[];
    })
  | {
      readonly status: 'skipped';
      /** Aliases tried. */
      readonly providers: readonly string[];
      /** Provider calls made. */
      readonly attempts: number;
      /** The last error, serialised (`serializeJobError`). */
      readonly error: string;
    };

/** The outcome record of a compose job (`flows/<flowId>/composite.json`). */
export interface CompositeRecord {
  /** The composite. */
  readonly image: BlobReference;
  /** Its width. */
  readonly width: number;
  /** Its height. */
  readonly height: number;
  /** Compositing time. */
  readonly ms: number;
}

/** What a layer or style job returns (its BullMQ return value). */
export type StepJobReturn =
  | StepOutcomeRecord
  | {
      readonly status: 'forwarded';
      /** The failure that moved the step to the next candidate, serialised. */
      readonly error: string;
      /** The next candidate's job id. */
      readonly next: string;
    };

/** Schema of {@link BlobReference}. */
export const blobReferenceSchema = z.strictObject({
  key: z.string().min(1).max(512),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.string().min(1).max(200),
});

const matteSchema = z.union([
  z.enum(['none', 'alpha']),
  z.object({ chromaKey: z.string() }).loose(),
]);

const requestSchema = z.strictObject({
  prompt: z.string(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  negativePrompt: z.string().optional(),
  seed: z.number().optional(),
  transparent: z.boolean().optional(),
  strength: z.number().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  // A world pack's binding (JSON, as planned) and reference images (blobs).
  binding: z.record(z.string(), z.unknown()).optional(),
  referenceImages: z.array(blobReferenceSchema).max(64).optional(),
});

/** Schema of {@link StepJobData} (workers validate every job they take). */
export const stepJobDataSchema = z.strictObject({
  version: z.literal(2),
  flowId: z.string().regex(/^[0-9a-f]{32,64}$/),
  kind: z.enum(['layer', 'style']),
  stepId: z.string().min(1).max(100),
  from: z.string().min(1).max(100).optional(),
  layerIndex: z.number().int().min(0).optional(),
  candidates: z
    .array(
      z.strictObject({
        alias: z.string().min(1).max(100),
        providerId: z.string().min(1),
        modelId: z.string().min(1),
        request: requestSchema,
        matte: matteSchema,
        attempts: z.number().int().min(1).max(100),
        warnings: z.array(z.string()),
      }),
    )
    .min(1),
  candidateIndex: z.number().int().min(0),
  priorAttempts: z.number().int().min(0),
  notes: z.array(z.string()),
  warnings: z.array(z.string()),
  onLayerError: z.enum(['fail', 'skip']),
  cachePolicy: z.enum(['seeded', 'always', 'off']),
});

/** Schema of {@link ComposeJobData}. */
export const composeJobDataSchema = z.strictObject({
  version: z.literal(2),
  flowId: z.string().regex(/^[0-9a-f]{32,64}$/),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  background: z.string().optional(),
  output: z.record(z.string(), z.unknown()).optional(),
  layers: z.array(
    z.strictObject({
      stepId: z.string().min(1).max(100),
      layer: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** Schema of {@link StepOutcomeRecord}. */
export const stepOutcomeSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('painted'),
    alias: z.string(),
    providerId: z.string(),
    modelId: z.string(),
    matte: matteSchema,
    image: blobReferenceSchema,
    seed: z.number().optional(),
    revisedPrompt: z.string().optional(),
    cached: z.boolean(),
    attempts: z.number().int().min(0),
    ms: z.number().min(0),
    costUsd: z.number().optional(),
    requestId: z.string().optional(),
    cacheKey: z.string().optional(),
    inputSha256: z.string().optional(),
    resultWarnings: z.array(z.string()).optional(),
    warnings: z.array(z.string()),
  }),
  z.strictObject({
    status: z.literal('skipped'),
    providers: z.array(z.string()),
    attempts: z.number().int().min(0),
    error: z.string(),
  }),
]);

/** Schema of {@link CompositeRecord}. */
export const compositeRecordSchema = z.strictObject({
  image: blobReferenceSchema,
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  ms: z.number().min(0),
});

/** A progress message a worker publishes through `job.updateProgress` (relayed as events). */
export type StepJobProgress =
  | {
      /** An attempt started. */
      readonly type: 'start';
      /** 1-based attempt. */
      readonly attempt: number;
    }
  | {
      /** The provider reported progress. */
      readonly type: 'progress';
      /** 1-based attempt. */
      readonly attempt: number;
      /** Completed fraction. */
      readonly fraction?: number;
      /** Estimated time left. */
      readonly etaMs?: number;
    }
  | {
      /** A failed attempt will be retried. */
      readonly type: 'retry';
      /** 1-based number of the failed attempt. */
      readonly attempt: number;
      /** Wait before the next attempt. */
      readonly delayMs: number;
      /** Code and message of the failure. */
      readonly reason: string;
      /** The failure, serialised (see `serializeJobError`). */
      readonly error: string;
    };

/**
 * Reads a JSON record, or `undefined` when it is not valid JSON.
 *
 * @param bytes - the record's bytes.
 */
export function parseRecord(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Encodes a JSON record.
 *
 * @param value - a JSON-safe value.
 */
export const encodeRecord = (value: unknown): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(value));
