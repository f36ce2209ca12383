import { afterEach, describe, expect, it, vi } from 'vitest';
import { thrownBy } from '../testing/thrown-by.js';
import { environmentValue, lowerCaseHeaders, resolveApiKey } from './resolve-api-key.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const source = {
  variables: ['FIRST_TEST_KEY', 'SECOND_TEST_KEY'],
  expected: 'the FIRST_TEST_KEY environment variable to hold a test key',
  subject: 'Test settings',
};

describe('resolveApiKey', () => {
  it('takes the setting, else the first variable that is set and not empty', () => {
    vi.stubEnv('FIRST_TEST_KEY', '');
    vi.stubEnv('SECOND_TEST_KEY', 'second');
    expect(resolveApiKey('given', source)).toBe('given');
    expect(resolveApiKey(undefined, source)).toBe('second');
    vi.stubEnv('FIRST_TEST_KEY', 'first');
    expect(resolveApiKey(undefined, source)).toBe('first');
    expect(environmentValue('FIRST_TEST_KEY')).toBe('first');
  });

  it('refuses a missing key with a ValidationError naming apiKey and the variable', () => {
    vi.stubEnv('FIRST_TEST_KEY', '');
    vi.stubEnv('SECOND_TEST_KEY', '');
    const error = thrownBy(() => resolveApiKey(undefined, source));
    expect(error).toMatchObject({ code: 'validation_error' });
    expect((error as Error).message).toContain(
      'Expected `apiKey` or the FIRST_TEST_KEY environment variable to hold a test key, got nothing',
    );
  });
});

describe('lowerCaseHeaders', () => {
  it('lower-cases names so that a user header replaces an own header of any case', () => {
    const own = { authorization: 'Bearer own' };
    expect({
      ...own,
      ...lowerCaseHeaders({ Authorization: 'Bearer user', 'X-Trace': '1' }),
    }).toEqual({ authorization: 'Bearer user', 'x-trace': '1' });
    expect(lowerCaseHeaders(undefined)).toEqual({});
  });
});
