import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { AbortError } from '../errors/abort-error.js';
import { createHttpClient } from './create-http-client.js';
import type { ImageDownloadOptions } from './image-download-options.js';
import { isPrivateAddress, normalizeAddress } from './is-private-address.js';
import { responseFailure } from './response-failure.js';

/** Limits of one download: the options with the adapter's allowlist, plus the byte cap. */
export interface ImageDownloadLimits extends ImageDownloadOptions {
  /** Host names images may be downloaded from (the adapter's default when not configured). */
  readonly allowedHosts: readonly string[];
  /** Largest body read, in bytes. */
  readonly maxBytes: number;
}

/** Who downloads, for errors: the provider id and the API call's request id. */
export interface DownloadContext {
  /** Provider id, e.g. `openai`. */
  readonly provider: string;
  /** The request id of the API call whose answer named the URL, when known. */
  readonly requestId?: string | undefined;
}

/** A non-retryable `ProviderError` about a download. */
const failure = (message: string, code: string, context: DownloadContext, status?: number) =>
  responseFailure(context.provider, message, code, { requestId: context.requestId, status });

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** A URL as shown in messages: never its query string, which may carry a signature. */
const shown = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;

function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = normalizeAddress(host).replace(/\.$/, '');
  return allowedHosts.some((entry) => {
    const pattern = normalizeAddress(entry).replace(/\.$/, '');
    if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
    return name === pattern;
  });
}

/**
 * A `net.connect` lookup that checks every address a host resolves to and refuses the
 * connection when one is not public (unless exempted), so the address checked is the address
 * connected to.
 */
function guardedLookup(
  base: LookupFunction,
  addressAllowed: (address: string) => boolean,
  context: DownloadContext,
): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, addresses, family) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const list =
        typeof addresses === 'string'
          ? [{ address: addresses, family: family ?? (isIP(addresses) || 4) }]
          : addresses;
      const refused = list.find((entry) => !addressAllowed(entry.address));
      if (list.length === 0 || refused !== undefined) {
        const reason =
          refused === undefined
            ? 'resolves to no address'
            : `resolves to ${refused.address}, which is not a public address`;
        callback(
          failure(
            `Refused to download an image from ${hostname}: it ${reason}`,
            'provider_download_refused',
            context,
          ),
          '',
          0,
        );
        return;
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * Downloads an image URL from a service's answer with the guard described in
 * {@link ImageDownloadOptions}: https only, allowlisted hosts, no private, loopback or
 * link-local address (checked at connect time for every address a name resolves to), re-checked
 * redirects, a byte cap and a timeout. It sends no credential: never pass it the API key.
 *
 * @param location - the URL from the answer.
 * @param limits - allowlist, lookup, redirects, timeout and byte cap.
 * @param signal - aborts the download.
 * @param context - provider id and the API call's request id, for errors.
 * @returns the downloaded bytes (not yet checked to be an image).
 * @throws ProviderError `provider_download_refused` for a refused URL, core's HTTP errors for a
 *   failed download, AbortError.
 */
export async function downloadImage(
  location: string,
  limits: ImageDownloadLimits,
  signal: AbortSignal,
  context: DownloadContext,
): Promise<Uint8Array> {
  const { allowedHosts } = limits;
  const exempt = new Set((limits.allowedAddresses ?? []).map(normalizeAddress));
  const addressAllowed = (address: string) =>
    exempt.has(normalizeAddress(address)) || !isPrivateAddress(address);
  const maxRedirects = limits.maxRedirects ?? 3;
  const timeoutMs = limits.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const lookup = guardedLookup(
    limits.lookup ?? (dnsLookup as unknown as LookupFunction),
    addressAllowed,
    context,
  );
  const refuse = (reason: string) =>
    failure(`Refused to download an image: ${reason}`, 'provider_download_refused', context);

  const parse = (text: string, base?: URL): URL => {
    try {
      return new URL(text, base);
    } catch {
      throw refuse(`${JSON.stringify(text.split('?')[0]!.slice(0, 80))} is not a valid URL`);
    }
  };
  let url = parse(location);
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && limits.allowHttp === true)) {
      throw refuse(`${shown(url)} does not use https`);
    }
    if (url.username !== '' || url.password !== '') {
      throw refuse(`${url.protocol}//${url.hostname}${url.pathname} carries credentials`);
    }
    if (!hostAllowed(url.hostname, allowedHosts)) {
      throw refuse(
        `${url.hostname} is not an allowed host (setting \`imageDownload.allowedHosts\`: ${allowedHosts.join(', ')})`,
      );
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0 && !addressAllowed(literal)) {
      throw refuse(`${url.hostname} is not a public address`);
    }
    if (signal.aborted) throw AbortError.fromSignal(signal, 'The image download');
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw failure(
        `The image download timed out after ${timeoutMs} ms`,
        'provider_timeout',
        context,
      );
    }
    const client = createHttpClient({
      provider: context.provider,
      baseURL: url.origin,
      lookup,
      timeoutMs: remaining,
      connectTimeoutMs: Math.min(remaining, 10_000),
      headersTimeoutMs: remaining,
      bodyTimeoutMs: remaining,
      maxResponseBytes: limits.maxBytes,
    });
    try {
      const response = await client.request({
        path: `${url.pathname}${url.search}`,
        signal,
        redirect: 'manual',
      });
      if (!redirectStatuses.has(response.status)) return response.body;
      const target = response.headers.location;
      if (target === undefined) {
        throw failure(
          `The image download got HTTP ${response.status} without a location`,
          'provider_bad_response',
          context,
          response.status,
        );
      }
      if (redirects >= maxRedirects) {
        throw refuse(`more than ${maxRedirects} redirects (last from ${shown(url)})`);
      }
      url = parse(target, url);
    } finally {
      await client.close();
    }
  }
}
