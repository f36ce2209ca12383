import { isIP, type LookupFunction } from 'node:net';
import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import { integerRangeSchema } from '../schema/range-schema.js';

/**
 * How an adapter downloads the image URLs a service answers with (OpenAI's DALL·E URLs, fal
 * and Replicate outputs…), as its `imageDownload` setting. The
 * download is guarded: https only, hosts from an allowlist, no private, loopback or link-local
 * address (checked for IP literals, and for every address a host name resolves to, at connect
 * time, so a DNS answer cannot change between the check and the connection), at most a few
 * redirects (each re-checked), a byte cap and a timeout.
 */
export interface ImageDownloadOptions {
  /**
   * Host names images may be downloaded from: exact names, or `*.example.com` for any
   * subdomain. @default the adapter's own list (its service's image storage)
   */
  readonly allowedHosts?: readonly string[];
  /** Allow plain `http:` URLs. Only for tests and trusted local proxies. @default false */
  readonly allowHttp?: boolean;
  /**
   * IP addresses exempt from the private-network refusal, e.g. a proxy inside your network or
   * a test server on `127.0.0.1`. @default []
   */
  readonly allowedAddresses?: readonly string[];
  /**
   * DNS lookup used to resolve allowed hosts (the `net.connect` signature); every address it
   * returns is checked before connecting. Inject it in tests. @default dns.lookup
   */
  readonly lookup?: LookupFunction;
  /** Redirects followed, each re-checked. @default 3 */
  readonly maxRedirects?: number;
  /** Limit for the whole download, redirects included, in milliseconds. @default 60_000 */
  readonly timeoutMs?: number;
}

/** Schema of {@link ImageDownloadOptions}. */
export const imageDownloadOptionsSchema = z.strictObject({
  allowedHosts: z
    .array(
      z.string(expected('a host name')).min(1, expected('a host name')),
      expected('an array of host names'),
    )
    .optional(),
  allowHttp: z.boolean().optional(),
  allowedAddresses: z
    .array(
      z
        .string(expected('an IP address'))
        .refine((value) => isIP(value.replace(/^\[|\]$/g, '')) !== 0, expected('an IP address')),
      expected('an array of IP addresses'),
    )
    .optional(),
  lookup: z
    .custom<LookupFunction>((value) => typeof value === 'function', expected('a function'))
    .optional(),
  maxRedirects: integerRangeSchema(0, 10).optional(),
  timeoutMs: z
    .number(expected('a positive number of milliseconds'))
    .positive(expected('a positive number of milliseconds'))
    .optional(),
});
