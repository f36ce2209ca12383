import { z } from 'zod';
import { AbortError } from '../errors/abort-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { Clock } from '../scheduler/clock.js';
import { systemClock } from '../scheduler/clock.js';
import { clockSchema } from '../scheduler/scheduler-options.js';
import { imageSizeSchema } from '../schema/composition-schema.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { numberRangeSchema } from '../schema/range-schema.js';
import type { EncodedImage, ImageSize } from '../types/encoded-image.js';
import type {
  ImageRequest,
  ImageResult,
  PlannedImageRequest,
  Provider,
  ProviderCapabilities,
} from '../types/provider.js';
import { encodePng } from '../util/encode-png.js';
import { sha256 } from '../util/sha256.js';

/** A scripted failure: a `ProviderError` with this status (and `retryable` derived from it). */
export interface MockStatusFailure {
  /** HTTP status of the simulated failure, e.g. 429 or 503. */
  readonly status: number;
  /** Server-requested delay before a retry. */
  readonly retryAfterMs?: number;
  /** Whether a retry can help. @default true for 408, 409, 429 and 5xx */
  readonly retryable?: boolean;
  /** The error message. @default `Mock <status>` */
  readonly message?: string;
  /** The provider's own error code. */
  readonly providerCode?: string;
  /** Stable Layerloom code. @default 'provider_error' */
  readonly code?: string;
  /** Delay before failing, overriding the provider's `latencyMs`. */
  readonly latencyMs?: number;
}

/** A scripted failure that throws exactly `error`. */
export interface MockThrow {
  /** What the call throws. */
  readonly error: unknown;
  /** Delay before failing, overriding the provider's `latencyMs`. */
  readonly latencyMs?: number;
}

/** A scripted success with overrides. */
export interface MockSuccess {
  /** Marks a success. */
  readonly ok: true;
  /** Delay before answering, overriding the provider's `latencyMs`. */
  readonly latencyMs?: number;
  /** Seed to report. @default the request's seed, or one derived from the request */
  readonly seed?: number;
  /** Revised prompt to report. */
  readonly revisedPrompt?: string;
  /** Warnings to report. @default [] */
  readonly warnings?: readonly string[];
}

/**
 * What one call does: `'ok'` answers with an image, `'hang'` never answers until the request's
 * signal aborts, a {@link MockStatusFailure} throws a `ProviderError`, a {@link MockThrow}
 * throws its `error`, a {@link MockSuccess} answers with overrides.
 */
export type MockStep = 'ok' | 'hang' | MockStatusFailure | MockThrow | MockSuccess;

/** Options of {@link createMockProvider}. */
export interface MockProviderOptions {
  /** Provider id. @default 'mock' */
  readonly id?: string;
  /** Model id. @default 'mock-v1' */
  readonly modelId?: string;
  /**
   * Capabilities, merged over the defaults: transparency, image input and seeds supported, no
   * mask, one image per call, any size from 1 to 4096.
   */
  readonly capabilities?: Partial<ProviderCapabilities>;
  /** Time each call takes, in milliseconds (through `clock`). @default 0 */
  readonly latencyMs?: number;
  /** Progress reports spread over the latency of a successful call. @default 0 */
  readonly progressSteps?: number;
  /**
   * Attach a preview to each progress report: a small PNG (a quarter of the image's size, at
   * least 1×1) painted like the final image, as streaming providers send partial images.
   * @default false
   */
  readonly progressPreviews?: boolean;
  /**
   * What each call does, in call order — e.g. `[{ status: 429, retryAfterMs: 100 }, 'ok']` —
   * or a function choosing per request (`call` is 0-based).
   */
  readonly script?: readonly MockStep[] | ((request: ImageRequest, call: number) => MockStep);
  /** What calls do once a script array is used up. @default 'ok' */
  readonly afterScript?: MockStep;
  /**
   * Paints the image. @default a solid PNG whose colour is derived from the request (prompt,
   * seed, size, input image); transparent requests get a transparent border around it
   */
  readonly image?: (request: ImageRequest) => EncodedImage | Promise<EncodedImage>;
  /** Size of the default image. @default 'request' (the requested width and height) */
  readonly imageSize?: 'request' | ImageSize;
  /**
   * Price of a call in US dollars: reported as `costUsd` and by `estimateCostUsd`. Without it
   * the provider declares no prices.
   */
  readonly costUsd?: number | ((request: PlannedImageRequest) => number);
  /** Timers for `latencyMs`. @default systemClock */
  readonly clock?: Clock;
}

/** A {@link Provider} test double that records its calls. */
export interface MockProvider extends Provider {
  /** Every request received, in call order (signals included). */
  readonly requests: readonly ImageRequest[];
  /** Calls received. */
  readonly calls: number;
  /** Calls in flight now. */
  readonly inFlight: number;
  /** Most calls ever in flight at once. */
  readonly maxInFlight: number;
  /** Forgets the requests and counters, and restarts the script. */
  reset(): void;
}

const capabilitiesSchema = z.strictObject(
  {
    transparency: z.boolean().optional(),
    imageInput: z.boolean().optional(),
    mask: z.boolean().optional(),
    seed: z.boolean().optional(),
    maxImagesPerCall: z.number().int().min(1).optional(),
    maxReferenceImages: z.number().int().min(0).optional(),
    sizes: z
      .union([
        z.array(imageSizeSchema).min(1),
        z.strictObject({
          min: z.number().int().min(1),
          max: z.number().int().min(1),
          multipleOf: z.number().int().min(1).optional(),
        }),
      ])
      .optional(),
  },
  expected('partial provider capabilities'),
);

const milliseconds = numberRangeSchema(0, 3_600_000, 'a number of milliseconds from 0 to 3600000');

const stepSchema = z.union(
  [
    z.literal('ok'),
    z.literal('hang'),
    z.strictObject({
      status: z.number().int().min(100).max(599),
      retryAfterMs: z.number().min(0).optional(),
      retryable: z.boolean().optional(),
      message: z.string().optional(),
      providerCode: z.string().optional(),
      code: z.string().optional(),
      latencyMs: milliseconds.optional(),
    }),
    z.strictObject({ error: z.unknown(), latencyMs: milliseconds.optional() }),
    z.strictObject({
      ok: z.literal(true),
      latencyMs: milliseconds.optional(),
      seed: z.number().int().min(0).optional(),
      revisedPrompt: z.string().optional(),
      warnings: z.array(z.string()).optional(),
    }),
  ],
  expected("'ok', 'hang', `{ status, … }`, `{ error }` or `{ ok: true, … }` (see MockStep)"),
);

const optionsSchema = z.strictObject(
  {
    id: z.string().min(1, expected('a non-empty string')).optional(),
    modelId: z.string().min(1, expected('a non-empty string')).optional(),
    capabilities: capabilitiesSchema.optional(),
    latencyMs: milliseconds.optional(),
    progressSteps: z.number(expected('an integer from 0 to 100')).int().min(0).max(100).optional(),
    progressPreviews: z.boolean(expected('a boolean')).optional(),
    script: z
      .union(
        [z.array(stepSchema), z.custom<() => MockStep>((value) => typeof value === 'function')],
        expected('an array of mock steps or a function'),
      )
      .optional(),
    afterScript: stepSchema.optional(),
    image: z
      .custom<() => EncodedImage>((value) => typeof value === 'function', expected('a function'))
      .optional(),
    imageSize: z.union([z.literal('request'), imageSizeSchema]).optional(),
    costUsd: z
      .union(
        [z.number().min(0), z.custom<() => number>((value) => typeof value === 'function')],
        expected('a non-negative number or a function'),
      )
      .optional(),
    clock: clockSchema.optional(),
  },
  expected('mock provider options'),
);

const defaultCapabilities: ProviderCapabilities = {
  transparency: true,
  imageInput: true,
  mask: false,
  seed: true,
  maxImagesPerCall: 1,
  sizes: { min: 1, max: 4096 },
};

const retryableStatus = (status: number) =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** A deterministic solid image (transparent border for transparent requests). */
export function mockImage(request: ImageRequest, size: ImageSize, salt: string): EncodedImage {
  const digest = sha256(
    [
      salt,
      request.prompt,
      request.seed ?? '',
      request.width,
      request.height,
      request.image === undefined ? '' : sha256(request.image.bytes),
    ].join('\u0000'),
  );
  const [red, green, blue] = [0, 2, 4].map((offset) =>
    Number.parseInt(digest.slice(offset, offset + 2), 16),
  );
  const { width, height } = size;
  const data = new Uint8Array(width * height * 4);
  const transparent = request.transparent === true;
  const left = Math.floor(width / 4);
  const top = Math.floor(height / 4);
  for (let y = 0; y < height; y++) {
    const insideRow = !transparent || (y >= top && y < height - top);
    for (let x = 0; x < width; x++) {
      const index = (y * width + x) * 4;
      data[index] = red!;
      data[index + 1] = green!;
      data[index + 2] = blue!;
      data[index + 3] = insideRow && (!transparent || (x >= left && x < width - left)) ? 255 : 0;
    }
  }
  return { bytes: encodePng({ width, height, data }, { level: 1 }), mediaType: 'image/png' };
}

/**
 * A scriptable in-memory {@link Provider} for tests: configurable ids, capabilities, latency and
 * prices; failures by script (e.g. `[{ status: 429, retryAfterMs: 100 }, 'ok']`); deterministic
 * PNG images (or your own); every request recorded; in-flight and most-concurrent calls counted
 * at the provider, so tests can prove that limits hold. It honours the request's signal.
 *
 * @param options - ids, capabilities, latency, script, image, prices, clock.
 * @returns a {@link MockProvider}.
 * @throws ValidationError for bad options.
 *
 * @example
 * const flaky = createMockProvider({ id: 'flaky', script: [{ status: 503 }, 'ok'] });
 * const loom = createLoom({ providers: { A: flaky }, compositor: createRecordingCompositor() });
 */
export function createMockProvider(options: MockProviderOptions = {}): MockProvider {
  parseWithSchema(optionsSchema, options, 'mock provider options');
  const id = options.id ?? 'mock';
  const modelId = options.modelId ?? 'mock-v1';
  const clock = options.clock ?? systemClock;
  const latencyMs = options.latencyMs ?? 0;
  const progressSteps = options.progressSteps ?? 0;
  const price = options.costUsd;
  const priceOf =
    price === undefined
      ? undefined
      : (request: PlannedImageRequest) => (typeof price === 'number' ? price : price(request));
  let requests: ImageRequest[] = [];
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const wait = (delayMs: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(AbortError.fromSignal(signal, `The call to mock provider "${id}"`));
        return;
      }
      const onAbort = () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        reject(AbortError.fromSignal(signal, `The call to mock provider "${id}"`));
      };
      const timer =
        delayMs === Number.POSITIVE_INFINITY
          ? undefined
          : clock.setTimeout(() => {
              signal.removeEventListener('abort', onAbort);
              resolve();
            }, delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const stepFor = (request: ImageRequest, call: number): MockStep => {
    const script = options.script;
    if (typeof script === 'function') return script(request, call);
    return script?.[call] ?? options.afterScript ?? 'ok';
  };

  async function answer(request: ImageRequest, step: MockStep): Promise<ImageResult> {
    if (step === 'hang') {
      await wait(Number.POSITIVE_INFINITY, request.signal);
      throw AbortError.fromSignal(request.signal);
    }
    const stepLatency = typeof step === 'object' ? (step.latencyMs ?? latencyMs) : latencyMs;
    if (typeof step === 'object' && 'status' in step) {
      if (stepLatency > 0) await wait(stepLatency, request.signal);
      throw new ProviderError(step.message ?? `Mock ${step.status}`, {
        provider: id,
        status: step.status,
        retryable: step.retryable ?? retryableStatus(step.status),
        requestId: `mock-request-${calls}`,
        ...(step.retryAfterMs === undefined ? {} : { retryAfterMs: step.retryAfterMs }),
        ...(step.providerCode === undefined ? {} : { providerCode: step.providerCode }),
        ...(step.code === undefined ? {} : { code: step.code }),
      });
    }
    if (typeof step === 'object' && 'error' in step) {
      if (stepLatency > 0) await wait(stepLatency, request.signal);
      throw step.error;
    }
    const steps = progressSteps;
    if (steps > 0) {
      for (let index = 1; index <= steps; index++) {
        await wait(stepLatency / steps, request.signal);
        request.onProgress?.({
          fraction: index / steps,
          ...(options.progressPreviews === true
            ? {
                preview: mockImage(
                  request,
                  {
                    width: Math.max(1, Math.round(request.width / 4)),
                    height: Math.max(1, Math.round(request.height / 4)),
                  },
                  `${id}/${modelId}`,
                ),
              }
            : {}),
        });
      }
    } else if (stepLatency > 0) await wait(stepLatency, request.signal);
    else if (request.signal.aborted) throw AbortError.fromSignal(request.signal);
    const size =
      options.imageSize === undefined || options.imageSize === 'request'
        ? { width: request.width, height: request.height }
        : options.imageSize;
    const image =
      options.image === undefined
        ? mockImage(request, size, `${id}/${modelId}`)
        : await options.image(request);
    const success = typeof step === 'object' && 'ok' in step ? step : undefined;
    const seed =
      success?.seed ??
      request.seed ??
      Number.parseInt(
        sha256(`${request.prompt}\u0000${request.width}x${request.height}`).slice(0, 8),
        16,
      );
    const cost = priceOf?.(request);
    return {
      image,
      seed,
      ...(success?.revisedPrompt === undefined ? {} : { revisedPrompt: success.revisedPrompt }),
      ...(cost === undefined ? {} : { costUsd: cost }),
      requestId: `mock-request-${calls}`,
      warnings: [...(success?.warnings ?? [])],
    };
  }

  const provider: MockProvider = {
    id,
    modelId,
    capabilities: { ...defaultCapabilities, ...options.capabilities },
    ...(priceOf === undefined ? {} : { estimateCostUsd: priceOf }),
    get requests() {
      return requests;
    },
    get calls() {
      return calls;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      requests = [];
      calls = 0;
      maxInFlight = inFlight;
    },
    async generate(request: ImageRequest): Promise<ImageResult> {
      const call = calls++;
      requests.push(request);
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      try {
        return await answer(request, stepFor(request, call));
      } finally {
        inFlight--;
      }
    },
  };
  return provider;
}
