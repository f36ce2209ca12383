import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import { type HttpTimeoutSettings, httpTimeoutSettingsShape } from './http-timeout-settings.js';

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

/**
 * The settings every hosted-service adapter takes besides its key and base URL (whose
 * defaults are the adapter's own), as {@link adapterSettingsShape} validates them. Each
 * adapter's settings type extends it and states its defaults.
 */
export interface AdapterSettings extends HttpTimeoutSettings {
  /** Extra headers sent with every API request; they win over the adapter's own. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest image accepted, in bytes (checked before decoding base64). */
  readonly maxImageBytes?: number;
  /**
   * Largest image accepted, in pixels, as its header declares it (guards against
   * decompression bombs).
   */
  readonly maxImagePixels?: number;
}
