import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from './parse-with-schema.js';
import { integerRangeSchema, numberRangeSchema } from './range-schema.js';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new TypeError('expected a ValidationError');
}

describe('integerRangeSchema and numberRangeSchema', () => {
  it('accept the bounds and what lies between', () => {
    expect(parseWithSchema(integerRangeSchema(1, 10), 10, 'steps')).toBe(10);
    expect(parseWithSchema(numberRangeSchema(0, 1), 0.25, 'strength')).toBe(0.25);
    expect(parseWithSchema(integerRangeSchema(0, 5).optional(), undefined, 'x')).toBeUndefined();
  });

  it('say the same phrase for every failure', () => {
    for (const value of ['3', 1.5, 0, 11]) {
      expect(message(() => parseWithSchema(integerRangeSchema(1, 10), value, 'steps'))).toContain(
        'to be an integer from 1 to 10, got',
      );
    }
    expect(message(() => parseWithSchema(numberRangeSchema(0, 1), 2, 'strength'))).toContain(
      'to be a number from 0 to 1, got',
    );
    expect(
      message(() => parseWithSchema(integerRangeSchema(1, 9, 'a digit'), 0, 'digit')),
    ).toContain('to be a digit, got');
  });
});
