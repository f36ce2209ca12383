import { randomUUID } from 'node:crypto';
import {
  AbortError,
  createFingerprint,
  expected,
  type ImageRequest,
  type ImageResult,
  type Provider,
  ProviderError,
  parseWithSchema,
  ValidationError,
} from '@layerloom/core';
import {
  type BasicCredentials,
  basicAuthorization,
  createHttpClient,
  readServerAddress,
  serializeJsonBody,
} from '@layerloom/core/http';
import { z } from 'zod';
import {
  baseUrlSchema,
  headersSchema,
  millisecondsSchema,
  nonEmptyStringSchema,
} from '../shared/settings-schemas.js';
import {
  type A1111ImageDefaults,
  a1111ImageDefaultsSchema,
  hasLayerDiffuseScript,
} from './a1111-image-defaults.js';
import { applyA1111Binding } from './apply-a1111-binding.js';
import { buildA1111Payload } from './build-a1111-payload.js';
import { describeA1111Error } from './describe-a1111-error.js';
import {
  type A1111InterruptMode,
  type A1111InterruptOutcome,
  describeA1111InterruptOutcome,
  interruptA1111Task,
} from './interrupt-a1111-task.js';
import { readA1111Result } from './read-a1111-result.js';
import { startA1111ProgressPolling } from './start-a1111-progress-polling.js';

/** Settings of {@link createA1111}. */
export interface A1111Settings {
  /**
   * Where the web UI listens, e.g. `http://127.0.0.1:7860` (`--api`) or `http://127.0.0.1:7861`
   * (`--nowebui`). Credentials written into the URL are used as `auth`.
   */
  readonly baseURL: string;
  /**
   * HTTP Basic credentials for a server started with `--api-auth`: `{ username, password }` or
   * the same `"username:password"` text. The password never appears in an error.
   * @default none
   */
  readonly auth?: BasicCredentials | string;
  /** Extra headers sent with every request (e.g. for a reverse proxy). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Provider id in results, errors and the manifest. @default 'a1111' */
  readonly id?: string;
  /**
   * Limit for one generation call, in milliseconds. A1111 answers only when the image is done
   * (and queues calls behind a lock), so this is well above Node's usual 300 s.
   * @default 900_000
   */
  readonly timeoutMs?: number;
  /** Pause between two `POST /internal/progress` polls while a call runs. @default 1000 */
  readonly progressIntervalMs?: number;
  /** How long an abort waits for each of its requests to be answered. @default 5000 */
  readonly interruptTimeoutMs?: number;
  /**
   * When an abort sends `POST /sdapi/v1/interrupt`, which stops whatever job the server runs:
   * `own-task` only when `POST /internal/progress` shows the call's own task running (never
   * another client's); `always` without checking (a server of your own started with
   * `--nowebui`, which has no `/internal/progress`); `never`.
   * @default 'own-task'
   */
  readonly interrupt?: A1111InterruptMode;
}

/** What {@link createA1111} returns. */
export interface A1111Adapter {
  /**
   * A provider that paints with one checkpoint.
   *
   * @param checkpoint - sent as `override_settings.sd_model_checkpoint` (a title, file name or
   *   hash as `GET /sdapi/v1/sd-models` lists them). Omitted: the checkpoint the server has
   *   loaded; the provider's `modelId` is then `current`.
   * @param defaults - sampler, steps, CFG scale, inpainting and raw options for every call.
   * @throws ValidationError when `checkpoint` or `defaults` are malformed.
   */
  image(checkpoint?: string, defaults?: A1111ImageDefaults): Provider;
  /** Closes the keep-alive connections. Providers built by `image()` stop working. */
  close(): Promise<void>;
}

const credentialsSchema = z.custom<BasicCredentials | string>((value) => {
  if (typeof value === 'string') return value.indexOf(':') > 0;
  if (value === null || typeof value !== 'object') return false;
  const { username, password, ...rest } = value as Record<string, unknown>;
  return (
    typeof username === 'string' &&
    username !== '' &&
    !username.includes(':') &&
    typeof password === 'string' &&
    Object.keys(rest).length === 0
  );
}, 'expected `{ username, password }` (a user name without `:`) or a "username:password" string; the value is not shown');

const settingsSchema = z.strictObject(
  {
    baseURL: baseUrlSchema,
    auth: credentialsSchema.optional(),
    headers: headersSchema.optional(),
    id: nonEmptyStringSchema.optional(),
    timeoutMs: millisecondsSchema(1, 86_400_000).optional(),
    progressIntervalMs: millisecondsSchema(10, 60_000).optional(),
    interruptTimeoutMs: millisecondsSchema(1, 60_000).optional(),
    interrupt: z
      .enum(['own-task', 'always', 'never'], expected('"own-task", "always" or "never"'))
      .optional(),
  },
  expected('an object of A1111 settings'),
);

const checkpointSchema = nonEmptyStringSchema.optional();

function readCredentials(auth: BasicCredentials | string): BasicCredentials {
  if (typeof auth !== 'string') return auth;
  const colon = auth.indexOf(':');
  return { username: auth.slice(0, colon), password: auth.slice(colon + 1) };
}

/** Adds a hint to connection failures: the usual cause is a server started without `--api`. */
function withConnectionHint(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.code !== 'provider_connection_error') return error;
  return new ProviderError(
    `${error.message}. Is AUTOMATIC1111/Forge running there with --api (or --nowebui)?`,
    {
      provider: error.provider,
      retryable: error.retryable,
      code: error.code,
      cause: error,
      ...(error.status === undefined ? {} : { status: error.status }),
    },
  );
}

/**
 * Creates an adapter for an AUTOMATIC1111 or Forge web UI started with `--api`: txt2img,
 * img2img and inpainting, each call its own task (`force_task_id`) whose progress and live
 * previews are read from `POST /internal/progress`, and an abort that interrupts the server
 * only while that task is the one running (see {@link A1111Settings.interrupt}).
 *
 * @param settings - base URL, optional basic auth and headers, limits.
 * @returns an object whose `.image(checkpoint?, defaults?)` builds a {@link Provider}.
 * @throws ValidationError when a setting is malformed (naming the field, never a password).
 *
 * @example
 * const forge = createA1111({ baseURL: 'http://127.0.0.1:7860' });
 * const sdxl = forge.image('sd_xl_base_1.0.safetensors', { sampler: 'DPM++ 2M', steps: 30 });
 */
export function createA1111(settings: A1111Settings): A1111Adapter {
  const parsed = parseWithSchema(settingsSchema, settings, 'A1111 settings');
  const address = readServerAddress(parsed.baseURL);
  const credentials =
    parsed.auth === undefined ? address.credentials : readCredentials(parsed.auth);
  const id = parsed.id ?? 'a1111';
  const timeoutMs = parsed.timeoutMs ?? 900_000;
  const intervalMs = parsed.progressIntervalMs ?? 1000;
  const interruptTimeoutMs = parsed.interruptTimeoutMs ?? 5000;
  const interruptMode = parsed.interrupt ?? 'own-task';
  const http = createHttpClient({
    provider: id,
    baseURL: address.baseURL,
    headers: {
      ...parsed.headers,
      ...(credentials === undefined ? {} : { authorization: basicAuthorization(credentials) }),
    },
    secrets: credentials === undefined ? [] : [credentials.password],
    timeoutMs,
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: Math.min(timeoutMs, 300_000),
    describeError: describeA1111Error,
  });

  return {
    image(checkpoint?: string, defaults: A1111ImageDefaults = {}): Provider {
      const model = parseWithSchema(checkpointSchema, checkpoint, 'A1111 checkpoint');
      const options = parseWithSchema(a1111ImageDefaultsSchema, defaults, 'A1111 defaults');
      const minSize = options.minSize ?? 64;
      const maxSize = options.maxSize ?? 2048;
      if (minSize > maxSize) {
        throw ValidationError.field(
          ['maxSize'],
          `Expected \`maxSize\` to be at least \`minSize\` (${minSize}), got \`${maxSize}\` (number)`,
          'A1111 defaults',
        );
      }
      const { minSize: _minSize, maxSize: _maxSize, ...painting } = options;
      return {
        id,
        modelId: model ?? 'current',
        fingerprint: createFingerprint(painting, 'A1111 defaults'),
        capabilities: {
          transparency:
            options.layerDiffuse !== undefined || hasLayerDiffuseScript(options.options),
          imageInput: true,
          mask: true,
          seed: true,
          maxImagesPerCall: 1,
          sizes: { min: minSize, max: maxSize, multipleOf: 8 },
        },
        estimateCostUsd: () => 0,
        async generate(request: ImageRequest): Promise<ImageResult> {
          const payload = applyA1111Binding(
            buildA1111Payload({
              request,
              checkpoint: model,
              defaults: options,
              taskId: `layerloom-${randomUUID()}`,
            }),
            request.binding,
            request.options,
          );
          const { taskId } = payload;
          const what = `The ${id} ${payload.endpoint} call`;
          if (request.signal.aborted) throw AbortError.fromSignal(request.signal, what);
          const body = serializeJsonBody(payload.body, 'options', 'A1111 request');
          const polling =
            request.onProgress === undefined
              ? undefined
              : startA1111ProgressPolling({
                  http,
                  taskId,
                  intervalMs,
                  onProgress: request.onProgress,
                });
          let interrupting: Promise<A1111InterruptOutcome> | undefined;
          const onAbort = () => {
            polling?.stop();
            interrupting = interruptA1111Task(http, taskId, interruptMode, interruptTimeoutMs);
          };
          request.signal.addEventListener('abort', onAbort, { once: true });
          try {
            const response = await http.request({
              method: 'POST',
              path: `/sdapi/v1/${payload.endpoint}`,
              body,
              signal: request.signal,
            });
            polling?.stop();
            const result = readA1111Result(response, {
              provider: id,
              endpoint: payload.endpoint,
              sent: payload.body,
              checkpoint: model,
              wantsAlpha: request.transparent === true && options.layerDiffuse !== undefined,
              warnings: [
                ...payload.warnings,
                ...(polling?.unavailable() === true
                  ? [
                      'The server has no /internal/progress (started with --nowebui?); no progress was reported, since /sdapi/v1/progress reports whatever job runs.',
                    ]
                  : []),
              ],
            });
            return {
              ...result,
              providerMetadata: {
                ...result.providerMetadata,
                taskId,
                ...(polling === undefined ? {} : { waitedInQueue: polling.sawQueued() }),
              },
            };
          } catch (error) {
            if (request.signal.aborted) {
              // The server keeps painting after the socket closes: settle only once it was told.
              const outcome = await interrupting;
              throw AbortError.fromSignal(
                request.signal,
                `${what}${describeA1111InterruptOutcome(outcome ?? 'not-interrupted', taskId)}`,
              );
            }
            throw withConnectionHint(error);
          } finally {
            request.signal.removeEventListener('abort', onAbort);
            polling?.stop();
          }
        },
      };
    },
    close: () => http.close(),
  };
}
