import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { responseFailure } from './response-failure.js';

describe('responseFailure', () => {
  it('is a non-retryable ProviderError with only the details given', () => {
    const error = responseFailure('fal', 'no image', 'provider_bad_response', { status: 200 });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'fal',
      code: 'provider_bad_response',
      status: 200,
      retryable: false,
    });
    expect(error.requestId).toBeUndefined();
  });

  it('carries the request id, provider code, cause and a retryable flag when given', () => {
    const cause = new TypeError('bad base64');
    const error = responseFailure('google', 'blocked', 'provider_content_policy', {
      requestId: 'r1',
      providerCode: 'IMAGE_SAFETY',
      cause,
      retryable: true,
    });
    expect(error).toMatchObject({ requestId: 'r1', providerCode: 'IMAGE_SAFETY', retryable: true });
    expect(error.cause).toBe(cause);
  });
});
