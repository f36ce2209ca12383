import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { formatIssues } from './format-issues.js';

/**
 * Validates `value` against `schema`, throwing a {@link ValidationError} that names each bad
 * field.
 *
 * @param schema - a zod schema.
 * @param value - the value to check.
 * @param subject - what the value is, for messages (`composition`, `options`…).
 * @returns the parsed value.
 */
export function parseWithSchema<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(formatIssues(result.error.issues, value, subject), {
    subject,
    cause: result.error,
  });
}
