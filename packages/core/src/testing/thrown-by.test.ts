import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { rejectionOf, thrownBy } from './thrown-by.js';

const invalid = () => ValidationError.field(['apiKey'], 'Expected `apiKey`, got nothing');

describe('thrownBy', () => {
  it('returns the error, typed by the class it must be', () => {
    const error = thrownBy(() => {
      throw invalid();
    }, ValidationError);
    expect(error.issues[0]!.path).toEqual(['apiKey']);
    expect(thrownBy(() => JSON.parse('{'))).toBeInstanceOf(SyntaxError);
  });

  it('fails with an AssertionError when nothing or something else is thrown', () => {
    expect(() => thrownBy(() => 1)).toThrow(AssertionError);
    expect(() =>
      thrownBy(() => {
        throw invalid();
      }, ProviderError),
    ).toThrow(/Expected the action to throw with a ProviderError, got a ValidationError/);
  });
});

describe('rejectionOf', () => {
  it('returns the rejection reason, typed by the class it must be', async () => {
    const error = await rejectionOf(Promise.reject(invalid()), ValidationError);
    expect(error.issues).toHaveLength(1);
    expect(await rejectionOf(Promise.reject('text'))).toBe('text');
  });

  it('fails with an AssertionError when the promise resolves or rejects otherwise', async () => {
    await expect(rejectionOf(Promise.resolve(1))).rejects.toThrow(AssertionError);
    await expect(rejectionOf(Promise.reject(invalid()), ProviderError)).rejects.toThrow(
      AssertionError,
    );
  });
});
