import { describe, expect, it } from 'vitest';
import {
  AbortError,
  isLayerloomError,
  LayerloomError,
  LayerNotationError,
  ProviderError,
  RetryError,
  TimeoutError,
  ValidationError,
} from './index.js';

describe('error family', () => {
  it.each([
    [
      new ValidationError([{ path: ['a'], message: 'Expected `a` to be x, got y' }]),
      'validation_error',
      'ValidationError',
    ],
    [
      new LayerNotationError('Expected an alias', { line: 2, column: 5 }),
      'layer_notation_error',
      'LayerNotationError',
    ],
    [
      new ProviderError('boom', { provider: 'openai', retryable: true }),
      'provider_error',
      'ProviderError',
    ],
    [
      new RetryError('gave up', [new Error('one'), new Error('two')]),
      'retry_exhausted',
      'RetryError',
    ],
    [new TimeoutError('slow', 100), 'timeout', 'TimeoutError'],
    [new AbortError(), 'aborted', 'AbortError'],
  ])('%s has a stable code and name and is recognised', (error, code, name) => {
    expect(error).toBeInstanceOf(LayerloomError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(isLayerloomError(error)).toBe(true);
    expect(error.toJSON()).toMatchObject({ name, code });
  });

  it('recognises errors from another copy of the package by their marker, not instanceof', () => {
    class ForeignError extends Error {
      readonly code = 'validation_error';
    }
    const foreign = new ForeignError('x');
    Object.defineProperty(foreign, Symbol.for('layerloom.error'), { value: true });
    expect(isLayerloomError(foreign)).toBe(true);
    expect(isLayerloomError(new Error('plain'))).toBe(false);
    expect(isLayerloomError(null)).toBe(false);
    expect(isLayerloomError({ code: 'validation_error' })).toBe(false);
  });

  it('lists several validation problems on their own lines', () => {
    const error = new ValidationError(
      [
        { path: ['width'], message: 'Expected `width` to be an integer, got `1.5` (number)' },
        { path: ['height'], message: 'Expected `height` to be an integer, got `0` (number)' },
      ],
      { subject: 'composition' },
    );
    expect(error.message).toBe(
      'Invalid composition (2 problems):\n  - Expected `width` to be an integer, got `1.5` (number)\n  - Expected `height` to be an integer, got `0` (number)',
    );
    expect(ValidationError.field(['x'], 'bad x').issues).toEqual([
      { path: ['x'], message: 'bad x' },
    ]);
  });

  it('shows a code frame for notation errors, counting columns from 1', () => {
    const error = new LayerNotationError('Expected a provider alias after `@`', {
      line: 3,
      column: 9,
      source: '| hero: a knight @',
    });
    expect(error.line).toBe(3);
    expect(error.column).toBe(9);
    expect(error.toString()).toBe(
      'LayerNotationError: Expected a provider alias after `@` (line 3, column 9)\n3 | | hero: a knight @\n  |         ^',
    );
  });

  it('keeps every attempt of a retry and the last one as the cause', () => {
    const first = new ProviderError('429', { provider: 'p', retryable: true, status: 429 });
    const last = new ProviderError('503', { provider: 'p', retryable: true, status: 503 });
    const error = new RetryError('p failed 2 times', [first, last]);
    expect(error.attempts).toBe(2);
    expect(error.errors).toEqual([first, last]);
    expect(error.lastError).toBe(last);
    expect(error.cause).toBe(last);
  });

  it('turns an aborted signal into an AbortError unless its reason already is a Layerloom error', () => {
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    const aborted = AbortError.fromSignal(controller.signal, 'The render');
    expect(aborted).toBeInstanceOf(AbortError);
    expect(aborted.message).toBe('The render was aborted');
    const timeout = new TimeoutError('too slow', 5);
    const withReason = new AbortController();
    withReason.abort(timeout);
    expect(AbortError.fromSignal(withReason.signal)).toBe(timeout);
  });

  it('serialises provider errors without anything but their fields', () => {
    const error = new ProviderError('bad', {
      provider: 'openai',
      status: 400,
      retryable: false,
      requestId: 'req_1',
      providerCode: 'content_policy_violation',
      code: 'provider_content_policy',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ProviderError',
      code: 'provider_content_policy',
      message: 'bad',
      provider: 'openai',
      status: 400,
      retryable: false,
      requestId: 'req_1',
      providerCode: 'content_policy_violation',
    });
  });
});
