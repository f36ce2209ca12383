import { describeLeadingBytes, type ImageResult, ProviderError } from '@layerloom/core';
import { decodeBase64, type HttpResponse } from '@layerloom/core/http';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';
import { hasTransparentPixels } from '../shared/has-transparent-pixels.js';
import type { A1111Endpoint } from './build-a1111-payload.js';

/** What {@link readA1111Result} needs besides the response. */
export interface A1111ResultContext {
  /** Provider id, for errors. */
  readonly provider: string;
  /** The endpoint that answered. */
  readonly endpoint: A1111Endpoint;
  /** The body that was sent. */
  readonly sent: Readonly<Record<string, unknown>>;
  /** The checkpoint asked for, if any. */
  readonly checkpoint: string | undefined;
  /** Whether a LayerDiffuse cut-out was asked for: prefer an image with alpha. */
  readonly wantsAlpha: boolean;
  /** Warnings gathered so far; the result's warnings start with these. */
  readonly warnings: readonly string[];
}

type Info = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `info` is a JSON string; tolerate an object too. `undefined` when unreadable. */
function parseInfo(info: unknown): Info | undefined {
  if (isRecord(info)) return info;
  if (typeof info !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(info);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `sd_xl_base_1.0` from `models/sd_xl_base_1.0.safetensors [31e35c80fc]`. */
function checkpointName(value: string): string {
  return value
    .replace(/\s*\[[0-9a-f]+\]\s*$/i, '')
    .replace(/^.*[\\/]/, '')
    .replace(/\.(safetensors|ckpt|gguf|pt|pth|bin)$/i, '')
    .toLowerCase();
}

function usedRequestedCheckpoint(requested: string, info: Info): boolean {
  const name = info.sd_model_name;
  const hash = info.sd_model_hash;
  if (typeof name !== 'string' && typeof hash !== 'string') return true;
  if (typeof name === 'string' && checkpointName(requested) === checkpointName(name)) return true;
  const requestedHash = /([0-9a-f]{8,64})\]?\s*$/i.exec(requested)?.[1]?.toLowerCase();
  return (
    typeof hash === 'string' &&
    requestedHash !== undefined &&
    (requestedHash.startsWith(hash.toLowerCase()) || hash.toLowerCase().startsWith(requestedHash))
  );
}

function usedRequestedSampler(requested: string, info: Info): boolean {
  const used = info.sampler_name;
  if (typeof used !== 'string') return true;
  // Legacy names such as `DPM++ 2M Karras` are split into sampler and scheduler (1.9+).
  return requested.toLowerCase().startsWith(used.toLowerCase());
}

function badResponse(
  message: string,
  context: A1111ResultContext,
  response: HttpResponse,
): ProviderError {
  return new ProviderError(message, {
    provider: context.provider,
    status: response.status,
    retryable: false,
    code: 'provider_bad_response',
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
  });
}

function pick(info: Info, keys: Readonly<Record<string, string>>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const [wire, name] of Object.entries(keys)) {
    const value = info[wire];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      picked[name] = value;
  }
  return picked;
}

/**
 * Turns an A1111/Forge `txt2img`/`img2img` answer into an {@link ImageResult}: decodes and checks
 * the image (PNG, JPEG or WebP magic bytes), takes the seed really used from the `info` JSON
 * string, skips a grid image (`index_of_first_image`), and warns when the server silently fell
 * back to another checkpoint or sampler.
 *
 * @param response - the 200 response.
 * @param context - what was sent and asked for.
 * @throws ProviderError (`provider_bad_response`) when there is no readable image.
 */
export function readA1111Result(response: HttpResponse, context: A1111ResultContext): ImageResult {
  const body = response.json<unknown>();
  const warnings = [...context.warnings];
  if (!isRecord(body) || !Array.isArray(body.images)) {
    throw badResponse(
      `${context.provider} ${context.endpoint} answered without an \`images\` array`,
      context,
      response,
    );
  }
  const images = body.images.filter((image): image is string => typeof image === 'string');
  if (images.length === 0) {
    throw badResponse(
      `${context.provider} ${context.endpoint} returned no image (is \`send_images\` false in the options?)`,
      context,
      response,
    );
  }

  const info = parseInfo(body.info);
  if (info === undefined) {
    warnings.push(
      `${context.provider} returned an \`info\` that is not a JSON object; the seed it used is unknown.`,
    );
  }
  const firstIndex = info?.index_of_first_image;
  const start =
    typeof firstIndex === 'number' && Number.isInteger(firstIndex) && firstIndex < images.length
      ? Math.max(0, firstIndex)
      : 0;

  const decoded = images.slice(start).map((text) => decodeBase64(text));
  let chosen = decoded[0]!;
  if (context.wantsAlpha) {
    const withAlpha = decoded.find(hasTransparentPixels);
    if (withAlpha === undefined) {
      warnings.push(
        `${context.provider} returned no image with transparent pixels; the LayerDiffuse script may not have run.`,
      );
    } else chosen = withAlpha;
  }
  const mediaType = detectImageMediaType(chosen);
  if (mediaType === undefined) {
    throw badResponse(
      `${context.provider} ${context.endpoint} returned an image that is not PNG, JPEG or WebP (${describeLeadingBytes(chosen)})`,
      context,
      response,
    );
  }

  const allSeeds = info?.all_seeds;
  // A fixed seed that was sent is the seed used, even when `info` cannot be read.
  const seed = [
    Array.isArray(allSeeds) ? allSeeds[0] : undefined,
    info?.seed,
    context.sent.seed,
  ].find(isSeed);

  if (info !== undefined) {
    if (context.checkpoint !== undefined && !usedRequestedCheckpoint(context.checkpoint, info)) {
      warnings.push(
        `${context.provider} used checkpoint ${JSON.stringify(info.sd_model_name)} instead of ${JSON.stringify(context.checkpoint)} (the server ignores unknown checkpoints).`,
      );
    }
    const sampler = context.sent.sampler_name;
    if (typeof sampler === 'string' && !usedRequestedSampler(sampler, info)) {
      warnings.push(
        `${context.provider} used sampler ${JSON.stringify(info.sampler_name)} instead of ${JSON.stringify(sampler)} (the server falls back silently on unknown samplers).`,
      );
    }
  }

  const infotexts = info?.infotexts;
  const processSeconds = Number.parseFloat(response.headers['x-process-time'] ?? '');
  const metadata: Record<string, unknown> = {
    endpoint: context.endpoint,
    ...(Number.isFinite(processSeconds)
      ? { processTimeMs: Math.round(processSeconds * 1000) }
      : {}),
    ...(info === undefined
      ? {}
      : pick(info, {
          sd_model_name: 'checkpoint',
          sd_model_hash: 'checkpointHash',
          sampler_name: 'sampler',
          steps: 'steps',
          cfg_scale: 'cfgScale',
          denoising_strength: 'denoisingStrength',
          width: 'width',
          height: 'height',
          version: 'version',
          job_timestamp: 'jobTimestamp',
        })),
    ...(Array.isArray(infotexts) && typeof infotexts[0] === 'string'
      ? { infotext: infotexts[0] }
      : {}),
  };

  return {
    image: { bytes: chosen, mediaType },
    ...(seed === undefined ? {} : { seed }),
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    warnings,
    providerMetadata: metadata,
  };
}
