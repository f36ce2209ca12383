import { z } from 'zod';
import { AbortError } from '../errors/abort-error.js';
import type { Clock } from '../scheduler/clock.js';
import { systemClock } from '../scheduler/clock.js';
import { clockSchema } from '../scheduler/scheduler-options.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { CompositeInput, CompositeOptions, Compositor } from '../types/compositor.js';
import type { SizedImage } from '../types/encoded-image.js';
import { encodePng } from '../util/encode-png.js';
import { sha256 } from '../util/sha256.js';

/** Options of {@link createRecordingCompositor}. */
export interface RecordingCompositorOptions {
  /** Time each call takes, in milliseconds (through `clock`). @default 0 */
  readonly latencyMs?: number;
  /** Timers for `latencyMs`. @default systemClock */
  readonly clock?: Clock;
}

/** A {@link Compositor} test double that records what it was asked to blend. */
export interface RecordingCompositor extends Compositor {
  /** Every input received, in call order. */
  readonly calls: readonly CompositeInput[];
  /** Forgets the recorded calls. */
  reset(): void;
}

const optionsSchema = z.strictObject(
  {
    latencyMs: z
      .number(expected('a number of milliseconds from 0 to 3600000'))
      .min(0)
      .max(3_600_000)
      .optional(),
    clock: clockSchema.optional(),
  },
  expected('recording compositor options'),
);

/**
 * A **test double** of a {@link Compositor} for code that has no image library (core's own
 * tests, examples, benchmarks). It blends nothing: it records each input and returns a solid
 * PNG of the canvas size whose colour is derived from the layers' ids and image bytes, so the
 * output changes exactly when a layer changes. Use `createCompositor()` from
 * `@layerloom/compositor` for real pictures.
 *
 * @param options - simulated latency and its clock.
 * @returns a {@link RecordingCompositor}.
 * @throws ValidationError for bad options.
 *
 * @example
 * const compositor = createRecordingCompositor();
 * await loom.render(composition);
 * expect(compositor.calls[0]!.layers.map((entry) => entry.layer.id)).toEqual(['hero', 'scene']);
 */
export function createRecordingCompositor(
  options: RecordingCompositorOptions = {},
): RecordingCompositor {
  parseWithSchema(optionsSchema, options, 'recording compositor options');
  const clock = options.clock ?? systemClock;
  const latencyMs = options.latencyMs ?? 0;
  let calls: CompositeInput[] = [];

  const wait = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clock.clearTimeout(timer);
        reject(AbortError.fromSignal(signal!, 'The composite'));
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, latencyMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    get calls() {
      return calls;
    },
    reset() {
      calls = [];
    },
    async composite(
      input: CompositeInput,
      compositeOptions: CompositeOptions = {},
    ): Promise<SizedImage> {
      const signal = compositeOptions.signal;
      if (signal?.aborted) throw AbortError.fromSignal(signal, 'The composite');
      calls.push(input);
      if (latencyMs > 0) await wait(signal);
      const digest = sha256(
        [
          input.width,
          input.height,
          input.background ?? '',
          ...input.layers.map((entry) => `${entry.layer.id}:${sha256(entry.image.bytes)}`),
        ].join('\u0000'),
      );
      const color = [0, 2, 4].map((offset) =>
        Number.parseInt(digest.slice(offset, offset + 2), 16),
      );
      const data = new Uint8Array(input.width * input.height * 4);
      for (let index = 0; index < data.length; index += 4) {
        data[index] = color[0]!;
        data[index + 1] = color[1]!;
        data[index + 2] = color[2]!;
        data[index + 3] = 255;
      }
      return {
        bytes: encodePng({ width: input.width, height: input.height, data }, { level: 1 }),
        mediaType: 'image/png',
        width: input.width,
        height: input.height,
      };
    },
  };
}
