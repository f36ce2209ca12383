import { z } from 'zod';
import { expected } from './format-issues.js';

/**
 * A zod schema for an integer from `min` to `max`, whose every failure (not a number, not an
 * integer, out of range) reads ``Expected `field` to be <phrase>, got …`` once parsed with
 * `parseWithSchema`. Add `.optional()` for an optional setting.
 *
 * @param min - smallest value accepted.
 * @param max - largest value accepted.
 * @param phrase - what is expected. @default `an integer from <min> to <max>`
 *
 * @example
 * const defaultsSchema = z.strictObject({ steps: integerRangeSchema(1, 150).optional() });
 */
export function integerRangeSchema(
  min: number,
  max: number,
  phrase = `an integer from ${min} to ${max}`,
): z.ZodNumber {
  return numberRangeSchema(min, max, phrase).int(expected(phrase));
}

/**
 * A zod schema for a number from `min` to `max` (fractions allowed), whose every failure
 * reads ``Expected `field` to be <phrase>, got …`` once parsed with `parseWithSchema`.
 *
 * @param min - smallest value accepted.
 * @param max - largest value accepted.
 * @param phrase - what is expected. @default `a number from <min> to <max>`
 *
 * @example
 * const defaultsSchema = z.strictObject({ strength: numberRangeSchema(0, 1).optional() });
 */
export function numberRangeSchema(
  min: number,
  max: number,
  phrase = `a number from ${min} to ${max}`,
): z.ZodNumber {
  return z.number(expected(phrase)).min(min, expected(phrase)).max(max, expected(phrase));
}
