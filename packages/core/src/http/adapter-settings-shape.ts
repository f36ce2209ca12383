import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import { httpTimeoutSettingsShape } from './http-timeout-settings.js';

const isHttpUrl = (value: string) =>
  URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

const positiveInteger = (phrase: string) =>
  z.number(expected(phrase)).int(expected(phrase)).positive(expected(phrase)).optional();

/** A setting that holds an absolute `http:` or `https:` URL. */
export const httpUrlSchema = z
  .string(expected('an absolute http(s) URL'))
  .refine(isHttpUrl, expected('an absolute http(s) URL'));

/**
 * The zod fields every hosted-service adapter's settings share, to spread into its settings
 * schema (`z.strictObject({ ...adapterSettingsShape, …its own })`); a bad value fails naming
 * the field: `apiKey` (a non-empty string), `baseURL` (an absolute http(s) URL), `headers`,
 * the four HTTP limits of {@link httpTimeoutSettingsShape}, and the image caps
 * `maxImageBytes` and `maxImagePixels` (positive integers).
 */
export const adapterSettingsShape = {
  apiKey: z
    .string(expected('a non-empty string'))
    .min(1, expected('a non-empty string'))
    .optional(),
  baseURL: httpUrlSchema.optional(),
  headers: z
    .record(z.string(), z.string(expected('a string')), expected('an object of header strings'))
    .optional(),
  ...httpTimeoutSettingsShape,
  maxImageBytes: positiveInteger('a positive integer number of bytes'),
  maxImagePixels: positiveInteger('a positive integer number of pixels'),
};
