import { expected, integerRangeSchema } from '@layerloom/core';
import { z } from 'zod';

/** An absolute http(s) URL. */
export const baseUrlSchema = z
  .string(expected('an absolute http(s) URL such as "http://127.0.0.1:7860"'))
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  }, expected('an absolute http(s) URL such as "http://127.0.0.1:7860"'));

/** A secret string; its value never appears in a message. */
export const secretStringSchema = z.custom<string>(
  (value) => typeof value === 'string',
  'expected a string (the value is not shown: it may be a secret)',
);

/** Extra headers. Values are never shown in messages: they often carry credentials. */
export const headersSchema = z.record(
  z.string(),
  secretStringSchema,
  expected('an object of header names to string values'),
);

/**
 * A duration in milliseconds.
 *
 * @param min - smallest allowed value.
 * @param max - largest allowed value.
 */
export const millisecondsSchema = (min: number, max: number) =>
  z
    .number(expected(`a number of milliseconds from ${min} to ${max}`))
    .int(expected(`a whole number of milliseconds from ${min} to ${max}`))
    .min(min, expected(`a number of milliseconds from ${min} to ${max}`))
    .max(max, expected(`a number of milliseconds from ${min} to ${max}`));

/** A non-empty string. */
export const nonEmptyStringSchema = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'));

/**
 * A pixel side limit.
 *
 * @param multipleOf - the side must be a multiple of this.
 */
export const sideSchema = (multipleOf: number) => integerRangeSchema(multipleOf, 16_384);
