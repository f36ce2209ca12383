import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import type { HttpClientOptions } from './create-http-client.js';

/** The HTTP limits an adapter's settings pass on to {@link createHttpClient}. */
export interface HttpTimeoutSettings {
  /** Limit for a whole API call, in milliseconds. @default 600_000 */
  readonly timeoutMs?: number;
  /** Limit for opening a connection, in milliseconds. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /** Limit for the response headers to arrive, in milliseconds. @default 300_000 */
  readonly headersTimeoutMs?: number;
  /** Limit for silence while the body arrives, in milliseconds. @default 300_000 */
  readonly bodyTimeoutMs?: number;
}

const positiveMilliseconds = z
  .number(expected('a positive number of milliseconds'))
  .positive(expected('a positive number of milliseconds'))
  .optional();

/**
 * The zod fields of {@link HttpTimeoutSettings}, to spread into an adapter's settings schema;
 * a bad value fails naming the field, as `a positive number of milliseconds`.
 */
export const httpTimeoutSettingsShape = {
  timeoutMs: positiveMilliseconds,
  connectTimeoutMs: positiveMilliseconds,
  headersTimeoutMs: positiveMilliseconds,
  bodyTimeoutMs: positiveMilliseconds,
};

/**
 * The limits that are set, as `createHttpClient` options (unset ones keep the client's
 * defaults).
 *
 * @param settings - an adapter's parsed settings.
 */
export function httpTimeoutsOf(
  settings: HttpTimeoutSettings,
): Pick<
  HttpClientOptions,
  'timeoutMs' | 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs'
> {
  const limits: Record<string, number> = {};
  for (const name of [
    'timeoutMs',
    'connectTimeoutMs',
    'headersTimeoutMs',
    'bodyTimeoutMs',
  ] as const) {
    const value = settings[name];
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}
