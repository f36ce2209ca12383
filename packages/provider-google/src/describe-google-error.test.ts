import type { HttpResponse } from '@layerloom/core/http';
import { describe, expect, it } from 'vitest';
import { describeGoogleError, parseDuration } from './describe-google-error.js';
import { googleError, quotaExceeded } from './fixtures/google-responses.js';

const response = (status: number, body: unknown): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    headers: {},
    body: new TextEncoder().encode(text),
    requestId: undefined,
    text: () => text,
    json: () => JSON.parse(text),
  };
};

describe('describeGoogleError', () => {
  it('reads the message, status and RetryInfo of a 429', () => {
    expect(describeGoogleError(response(429, quotaExceeded('37.5s')))).toEqual({
      message:
        'You exceeded your current quota, please check your plan and billing details. (RESOURCE_EXHAUSTED)',
      providerCode: 'RESOURCE_EXHAUSTED',
      code: 'provider_rate_limited',
      retryAfterMs: 37_500,
    });
  });

  it.each<[number, unknown, Record<string, unknown>]>([
    [
      401,
      googleError(401, 'UNAUTHENTICATED', 'No key'),
      { code: 'provider_authentication', retryable: false },
    ],
    [
      400,
      googleError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
      { code: 'provider_permission_denied', retryable: false },
    ],
    [
      404,
      googleError(404, 'NOT_FOUND', 'models/x is not found'),
      { code: 'provider_model_not_found' },
    ],
    [
      504,
      googleError(504, 'DEADLINE_EXCEEDED', 'Deadline expired'),
      { code: 'provider_server_error' },
    ],
    [409, googleError(409, 'ABORTED', 'Conflict'), { code: 'provider_error' }],
    [429, 'Too Many Requests', { code: 'provider_rate_limited', message: 'Too Many Requests' }],
    [400, googleError(400, 'INVALID_ARGUMENT', 'Bad size'), { code: 'provider_invalid_request' }],
  ])('%s %j', (status, body, expected) => {
    expect(describeGoogleError(response(status, body))).toMatchObject(expected);
  });
});

describe('parseDuration', () => {
  it('reads protobuf durations', () => {
    expect(parseDuration('37s')).toBe(37_000);
    expect(parseDuration('0.25s')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(12)).toBeUndefined();
  });
});
