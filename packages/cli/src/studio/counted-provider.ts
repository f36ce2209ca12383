import type { ImageRequest, Provider } from '@layerloom/core';

/**
 * The same provider with every `generate` call counted: the studio shows the session's provider
 * calls, so a creator sees that a re-composite cost nothing and a re-roll one call.
 *
 * @param provider - the provider to count.
 * @param onCall - called before each call is handed to the provider.
 */
export function countedProvider(provider: Provider, onCall: () => void): Provider {
  return {
    id: provider.id,
    modelId: provider.modelId,
    capabilities: provider.capabilities,
    ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
    ...(provider.estimateCostUsd === undefined
      ? {}
      : { estimateCostUsd: provider.estimateCostUsd.bind(provider) }),
    generate: (request: ImageRequest) => {
      onCall();
      return provider.generate(request);
    },
  };
}
