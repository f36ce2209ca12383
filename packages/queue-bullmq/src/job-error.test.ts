import { ProviderError, TimeoutError, ValidationError } from '@layerloom/core';
import { deserializeJobError, serializeJobError } from '@layerloom/queue-bullmq';
import { describe, expect, it } from 'vitest';

describe('job error round trip', () => {
  it('keeps a ProviderError’s status, retryability and request id, not its cause', () => {
    const original = new ProviderError('Rate limited', {
      provider: 'openai',
      status: 429,
      retryable: true,
      requestId: 'req_1',
      retryAfterMs: 1200,
      cause: new Error('Authorization: Bearer sk-secret'),
    });
    const text = serializeJobError(original);
    expect(text).not.toContain('sk-secret');
    const copy = deserializeJobError(text, 'Layer "a" on "A"');
    expect(copy).toBeInstanceOf(ProviderError);
    expect(copy).toMatchObject({
      status: 429,
      retryable: true,
      requestId: 'req_1',
      retryAfterMs: 1200,
    });
  });

  it('rebuilds timeouts, and names foreign failures without their message', () => {
    expect(deserializeJobError(serializeJobError(new TimeoutError('slow', 50)), 'x').code).toBe(
      'timeout',
    );
    expect(serializeJobError(new TypeError('secret text'))).not.toContain('secret text');
    expect(deserializeJobError('job stalled more than allowable limit', 'Layer "a"').code).toBe(
      'worker_error',
    );
  });

  it('refuses arguments that are not strings with a ValidationError naming them', () => {
    expect(() => deserializeJobError(undefined as unknown as string, 'Layer "a"')).toThrow(
      ValidationError,
    );
    expect(() => deserializeJobError(42 as unknown as string, 7 as unknown as string)).toThrow(
      /Expected `text` to be a string, got `42` \(number\)[\s\S]*Expected `label` to be a string/,
    );
  });
});
