import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { PlannedImageRequest } from '../types/provider.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256 } from '../util/sha256.js';

/** What identifies a provider call for caching. */
export interface CacheKeyInput {
  /** Provider id, e.g. `openai`. */
  readonly providerId: string;
  /** Model id. */
  readonly modelId: string;
  /** The provider's configuration fingerprint (`Provider.fingerprint`), when it has one. */
  readonly fingerprint?: string;
  /** The request as sent, input images included (they are hashed, not copied). */
  readonly request: PlannedImageRequest;
}

const cacheKeyInputSchema = z.object(
  {
    providerId: z.string(expected('a string')),
    modelId: z.string(expected('a string')),
    fingerprint: z.string(expected('a string')).optional(),
    request: z.object(
      {
        prompt: z.string(expected('a string')),
        width: z.number(expected('a number')),
        height: z.number(expected('a number')),
      },
      expected('a request `{ prompt, width, height, … }`'),
    ),
  },
  expected('`{ providerId, modelId, fingerprint?, request }`'),
);

/** Version of the key derivation; bump it when the canonical form changes. */
export const cacheKeyVersion = 1;

/** Whether `key` has the shape of a cache key: 64 lower-case hex characters. */
export function isCacheKey(key: unknown): key is string {
  return typeof key === 'string' && /^[0-9a-f]{64}$/.test(key);
}

/** Throws a ValidationError when `key` is not a cache key (guards file names, too). */
export function assertCacheKey(key: unknown): asserts key is string {
  if (!isCacheKey(key)) {
    throw ValidationError.field(
      ['key'],
      `Expected \`key\` to be 64 lower-case hex characters (a sha256), got ${typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : typeof key}`,
      'cache key',
    );
  }
}

/**
 * The cache key of a provider call: the sha256 of a canonical JSON text of the provider id,
 * model id, fingerprint and every request field — prompt, size, negative prompt, seed,
 * transparency, strength, options, the world-pack binding (with the packs' versions and
 * content hashes) — with input images, masks and reference images replaced by the sha256 of
 * their bytes and their media type. Key order and `undefined` fields do not matter.
 *
 * @param input - provider, model and request.
 * @returns 64 hex characters, or `undefined` when the request's `options` hold something that
 *   has no canonical form (a function, a class instance…): such a request is never cached.
 */
export function computeCacheKey(input: CacheKeyInput): string | undefined {
  parseWithSchema(cacheKeyInputSchema, input, 'cache key input');
  const { request } = input;
  const image = (value: { readonly bytes: Uint8Array; readonly mediaType: string } | undefined) =>
    value === undefined ? undefined : { sha256: sha256(value.bytes), mediaType: value.mediaType };
  const text = canonicalJson({
    version: cacheKeyVersion,
    providerId: input.providerId,
    modelId: input.modelId,
    fingerprint: input.fingerprint,
    request: {
      prompt: request.prompt,
      width: request.width,
      height: request.height,
      negativePrompt: request.negativePrompt,
      seed: request.seed,
      transparent: request.transparent,
      strength: request.strength,
      options: request.options,
      image: image(request.image),
      mask: image(request.mask),
      referenceImages: request.referenceImages?.map(image),
      binding: request.binding,
    },
  });
  return text === undefined ? undefined : sha256(text);
}
