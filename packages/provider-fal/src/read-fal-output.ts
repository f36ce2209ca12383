import { base64DecodedLength, decodeBase64, isBase64 } from '@layerloom/core/http';
import { falErrorCodes } from './describe-fal-error.js';
import { type FalResponseContext, falFailure } from './verify-fal-image.js';

/** One output image as fal describes it. */
interface FalOutputImage {
  readonly url?: unknown;
  readonly content_type?: unknown;
  readonly width?: unknown;
  readonly height?: unknown;
}

/** What a model's output says, before the image is fetched. */
export interface FalOutput {
  /** The first image's URL (`https:` or, with `sync_mode`, a `data:` URI). */
  readonly url: string;
  /** The seed fal used, when the model reports one. */
  readonly seed: number | undefined;
  /** Whether fal's safety checker flagged the first image. */
  readonly nsfw: boolean;
  /** The prompt as fal echoed it. */
  readonly prompt: string | undefined;
  /** Fields worth keeping in `providerMetadata` (content type, declared size, timings). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

const finiteNumber = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Reads a fal image model's output: `images: [{ url, content_type, width, height }]`, `seed`,
 * `has_nsfw_concepts: [boolean]`, `timings`.
 *
 * @param output - the parsed result body.
 * @param context - request id and status, for errors.
 * @throws ProviderError `provider_bad_response` when there is no image URL.
 */
export function readFalOutput(output: unknown, context: FalResponseContext): FalOutput {
  const body = (output !== null && typeof output === 'object' ? output : {}) as Record<
    string,
    unknown
  >;
  const images = Array.isArray(body.images) ? body.images : [];
  const first = images[0] as FalOutputImage | undefined;
  if (first === undefined || first === null || typeof first.url !== 'string' || first.url === '') {
    throw falFailure(
      images.length === 0
        ? 'fal answered without an image (`images` is missing or empty)'
        : 'fal answered with an image without a `url`',
      falErrorCodes.badResponse,
      context,
    );
  }
  const nsfw = Array.isArray(body.has_nsfw_concepts) && body.has_nsfw_concepts[0] === true;
  const metadata: Record<string, unknown> = {};
  if (typeof first.content_type === 'string') metadata.contentType = first.content_type;
  const width = finiteNumber(first.width);
  const height = finiteNumber(first.height);
  if (width !== undefined) metadata.declaredWidth = width;
  if (height !== undefined) metadata.declaredHeight = height;
  if (body.timings !== null && typeof body.timings === 'object') {
    const timings = Object.fromEntries(
      Object.entries(body.timings as Record<string, unknown>).filter(
        ([, value]) => finiteNumber(value) !== undefined,
      ),
    );
    if (Object.keys(timings).length > 0) metadata.timings = timings;
  }
  const seed = finiteNumber(body.seed);
  return {
    url: first.url,
    seed: seed !== undefined && Number.isInteger(seed) ? seed : undefined,
    nsfw,
    prompt: typeof body.prompt === 'string' ? body.prompt : undefined,
    metadata,
  };
}

/**
 * The bytes of a `data:…;base64,` URI (fal's `sync_mode` answers), checked to be whole base64
 * and no larger than `maxBytes` before decoding.
 *
 * @param uri - the data URI.
 * @param maxBytes - largest image accepted.
 * @param context - request id, for errors.
 * @throws ProviderError `provider_bad_response` or `provider_response_too_large`.
 */
export function decodeDataUri(
  uri: string,
  maxBytes: number,
  context: FalResponseContext,
): Uint8Array {
  const comma = uri.indexOf(',');
  const header = uri.slice(5, comma);
  const data = comma === -1 ? '' : uri.slice(comma + 1);
  if (comma === -1 || !header.endsWith(';base64') || !isBase64(data)) {
    throw falFailure(
      'fal answered with a `data:` image that is not valid base64',
      falErrorCodes.badResponse,
      context,
    );
  }
  if (base64DecodedLength(data) > maxBytes) {
    throw falFailure(
      `fal answered with an inline image of more than ${maxBytes} bytes (setting \`maxImageBytes\`)`,
      'provider_response_too_large',
      context,
    );
  }
  return decodeBase64(data);
}
