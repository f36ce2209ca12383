/**
 * A complete provider adapter for an imaginary "Pet Studio" image API, written against
 * Layerloom's documented contract. See docs/writing-a-provider.md for the walk-through.
 *
 * The API: `POST /v1/paint` with JSON `{ model, prompt, width, height, seed?, background }`,
 * answering `{ id, seed, image_base64 }`; errors are `{ "error": { "message", "code" } }`.
 */
import type { ImageRequest, ImageResult, Provider } from '@layerloom/core';
import {
  describeLeadingBytes,
  inspectImage,
  ProviderError,
  ValidationError,
} from '@layerloom/core';
import { createHttpClient, decodeBase64 } from '@layerloom/core/http';

/** Settings of {@link createPetStudio}. */
export interface PetStudioSettings {
  /** API key. @default process.env.PET_STUDIO_API_KEY */
  readonly apiKey?: string;
  /** API base URL. @default 'https://api.pet-studio.example/v1' */
  readonly baseURL?: string;
}

interface PaintResponse {
  readonly id: string;
  readonly seed: number;
  readonly image_base64: string;
}

/**
 * Creates the Pet Studio adapter.
 *
 * @param settings - key and base URL.
 * @returns an object whose `.image(model)` builds a {@link Provider}.
 */
export function createPetStudio(settings: PetStudioSettings = {}) {
  const apiKey = settings.apiKey ?? process.env.PET_STUDIO_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    throw ValidationError.field(
      ['apiKey'],
      'Expected `apiKey` or the PET_STUDIO_API_KEY environment variable to be set, got nothing',
    );
  }
  // One client per adapter instance: keep-alive pool, timeouts, error mapping, key redaction.
  const http = createHttpClient({
    provider: 'pet-studio',
    baseURL: settings.baseURL ?? 'https://api.pet-studio.example/v1',
    headers: { authorization: `Bearer ${apiKey}` },
    timeoutMs: 120_000,
  });

  return {
    /**
     * A provider for one Pet Studio model.
     *
     * @param model - model id, e.g. `pets-v2`.
     */
    image(model: string): Provider {
      return {
        id: 'pet-studio',
        modelId: model,
        capabilities: {
          transparency: true,
          imageInput: false,
          mask: false,
          seed: true,
          maxImagesPerCall: 1,
          sizes: { min: 256, max: 2048, multipleOf: 64 },
        },
        estimateCostUsd: () => 0.01,
        async generate(request: ImageRequest): Promise<ImageResult> {
          const warnings: string[] = [];
          if (request.negativePrompt !== undefined)
            warnings.push('Pet Studio has no negative prompt; it was not sent.');
          if (request.image !== undefined)
            warnings.push('Pet Studio takes no input image; it was not sent.');
          const response = await http.request({
            method: 'POST',
            path: '/paint',
            body: {
              json: {
                model,
                prompt: request.prompt,
                width: request.width,
                height: request.height,
                ...(request.seed === undefined ? {} : { seed: request.seed }),
                background: request.transparent === true ? 'transparent' : 'opaque',
              },
            },
            signal: request.signal,
          });
          const body = response.json<PaintResponse>();
          const bytes = decodeBase64(body.image_base64 ?? '');
          // Magic bytes, not the API's word: PNG is what Pet Studio promises.
          if (inspectImage(bytes, ['image/png']) === undefined) {
            throw new ProviderError(
              `Pet Studio returned something that is not a PNG (${describeLeadingBytes(bytes)})`,
              {
                provider: 'pet-studio',
                status: response.status,
                retryable: false,
                code: 'provider_bad_response',
                ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
              },
            );
          }
          return {
            image: { bytes, mediaType: 'image/png' },
            seed: body.seed,
            requestId: body.id,
            costUsd: 0.01,
            warnings,
          };
        },
      };
    },
    /** Closes the keep-alive pool. */
    close: () => http.close(),
  };
}
