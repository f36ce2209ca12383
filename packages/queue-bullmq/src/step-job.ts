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

/** The request of a step job: the planned request with images replaced by references. */
export interface StepJobRequest {
  /** What to paint. */
  readonly prompt: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** What the image should not contain. */
  readonly negativePrompt?: string;
  /** Seed. */
  readonly seed?: number;
  /** Paint on a transparent background. */
  readonly transparent?: boolean;
  /** How far the result may move away from `image`. */
  readonly strength?: number;
  /** Provider-specific options (JSON). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Input image. */
  readonly image?: BlobReference;
  /** Inpainting mask. */
  readonly mask?: BlobReference;
}

/** The data of one step job (one provider call) on an alias's queue. */
export interface StepJobData {
  /** Format version. */
  readonly version: 1;
  /** Layer id, or `style`. */
  readonly stepId: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** Provider alias (the queue). */
  readonly alias: string;
  /** Provider id the submitter planned for (the worker checks it has the same). */
  readonly providerId: string;
  /** Model id the submitter planned for. */
  readonly modelId: string;
  /** The request. */
  readonly request: StepJobRequest;
  /** Blob key of the job's checkpoint: its result, written before the job completes. */
  readonly resultKey: string;
}

/** What a step job returns (its BullMQ return value), and what its checkpoint holds. */
export interface StepJobResult {
  /** The painted image. */
  readonly image: BlobReference;
  /** The seed the provider used. */
  readonly seed?: number;
  /** The provider's rewrite of the prompt. */
  readonly revisedPrompt?: string;
  /** Usage as the provider reports it. */
  readonly usage?: Readonly<Record<string, number>>;
  /** Cost in US dollars. */
  readonly costUsd?: number;
  /** The provider's request id. */
  readonly requestId?: string;
  /** The provider's warnings. */
  readonly warnings: readonly string[];
  /** Provider calls the job made (0 when its checkpoint answered). */
  readonly providerCalls: number;
}

const blobReferenceSchema = z.strictObject({
  key: z.string().min(1).max(512),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.string().min(1).max(200),
});

/** Schema of {@link StepJobData} (workers validate every job they take). */
export const stepJobDataSchema = z.strictObject({
  version: z.literal(1),
  stepId: z.string().min(1).max(100),
  kind: z.enum(['layer', 'style']),
  alias: z.string().min(1).max(100),
  providerId: z.string().min(1),
  modelId: z.string().min(1),
  request: z.strictObject({
    prompt: z.string(),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
    negativePrompt: z.string().optional(),
    seed: z.number().optional(),
    transparent: z.boolean().optional(),
    strength: z.number().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    image: blobReferenceSchema.optional(),
    mask: blobReferenceSchema.optional(),
  }),
  resultKey: z.string().min(1).max(512),
});

/** Schema of {@link StepJobResult} (checked when a checkpoint or return value is read). */
export const stepJobResultSchema = z.strictObject({
  image: blobReferenceSchema,
  seed: z.number().optional(),
  revisedPrompt: z.string().optional(),
  usage: z.record(z.string(), z.number()).optional(),
  costUsd: z.number().optional(),
  requestId: z.string().optional(),
  warnings: z.array(z.string()),
  providerCalls: z.number().int().min(0),
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
