import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { httpTimeoutSettingsShape, httpTimeoutsOf } from './http-timeout-settings.js';

describe('httpTimeoutSettingsShape', () => {
  const schema = z.strictObject({ ...httpTimeoutSettingsShape });

  it('accepts positive milliseconds and nothing', () => {
    expect(parseWithSchema(schema, { timeoutMs: 1500, bodyTimeoutMs: 0.5 }, 'settings')).toEqual({
      timeoutMs: 1500,
      bodyTimeoutMs: 0.5,
    });
    expect(parseWithSchema(schema, {}, 'settings')).toEqual({});
  });

  it('names the field of a bad value', () => {
    let error: unknown;
    try {
      parseWithSchema(schema, { headersTimeoutMs: -1 }, 'settings');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      'Invalid settings: Expected `headersTimeoutMs` to be a positive number of milliseconds, got `-1` (number)',
    );
  });
});

describe('httpTimeoutsOf', () => {
  it('keeps only the limits that are set', () => {
    expect(httpTimeoutsOf({})).toEqual({});
    expect(httpTimeoutsOf({ connectTimeoutMs: 5, timeoutMs: undefined, bodyTimeoutMs: 9 })).toEqual(
      {
        connectTimeoutMs: 5,
        bodyTimeoutMs: 9,
      },
    );
  });
});
