import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { RetryError } from '../errors/retry-error.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import {
  asProviderFailure,
  finalFailure,
  inputSkipped,
  settleStepFailure,
} from './step-failure.js';

const step = { id: 'hero', kind: 'layer' as const, providers: ['A', 'B'] };
const failure = new ProviderError('Mock 503', { provider: 'mock', status: 503, retryable: true });

describe('settleStepFailure', () => {
  it('falls back while a candidate is left, with a note naming the failed alias', () => {
    expect(settleStepFailure(step, 0, failure, 3, 'fail')).toEqual({
      outcome: 'fallback',
      note: '"A" failed (provider_error: Mock 503); the next provider was tried',
    });
  });

  it('skips after the last candidate under "skip", and fails under "fail"', () => {
    expect(settleStepFailure(step, 1, failure, 4, 'skip')).toEqual({
      outcome: 'skip',
      skipped: { id: 'hero', kind: 'layer', providers: ['A', 'B'], error: failure, attempts: 4 },
    });
    expect(settleStepFailure(step, 1, failure, 4, 'fail')).toEqual({ outcome: 'fail' });
  });
});

describe('finalFailure', () => {
  it('is the error itself after one attempt, a RetryError after several', () => {
    expect(finalFailure('Layer "hero" on "A"', [failure])).toBe(failure);
    const retried = finalFailure('Layer "hero" on "A"', [failure, failure], 3);
    expect(retried).toBeInstanceOf(RetryError);
    expect(retried.message).toBe(
      'Layer "hero" on "A" failed after 3 attempts: provider_error: Mock 503',
    );
  });
});

describe('asProviderFailure and inputSkipped', () => {
  it('wraps a foreign error without its message', () => {
    const wrapped = asProviderFailure(new TypeError('key sk-secret'), 'A', createMockProvider());
    expect(wrapped.code).toBe('provider_unexpected_error');
    expect(wrapped.message).not.toContain('sk-secret');
  });

  it('skips a chained layer whose input was skipped, without a call', () => {
    expect(inputSkipped(step, 'base')).toMatchObject({
      id: 'hero',
      attempts: 0,
      error: {
        code: 'input_skipped',
        message: 'Layer "hero" was skipped: its input layer "base" was skipped',
      },
    });
  });
});
