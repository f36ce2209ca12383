import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { serializeJsonBody } from './serialize-json-body.js';

describe('serializeJsonBody', () => {
  it('gives a JSON text body', () => {
    expect(serializeJsonBody({ prompt: 'a fox', steps: 20 }, 'options', 'X request')).toEqual({
      text: '{"prompt":"a fox","steps":20}',
      contentType: 'application/json',
    });
  });

  it('blames the named field for values JSON cannot hold', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [{ huge: 10n }, cycle]) {
      let thrown: unknown;
      try {
        serializeJsonBody(value, 'options', 'X request');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).issues[0]!.path).toEqual(['options']);
      expect((thrown as ValidationError).message).toMatch(/^Invalid X request: Expected `options`/);
    }
  });
});
