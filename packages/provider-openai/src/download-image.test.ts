import type { LookupFunction } from 'node:net';
import { AbortError, ProviderError } from '@layerloom/core';
import { createTestServer, rejectionOf, type TestServer } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadImage, type ImageDownloadLimits } from './download-image.js';
import { pngImage } from './fixtures/png-images.js';

const image = pngImage(4, 4);
let server: TestServer;
let port: number;

beforeAll(async () => {
  server = await createTestServer([
    http.get(
      '*/img.png',
      () => new HttpResponse(image.slice(), { headers: { 'content-type': 'image/png' } }),
    ),
    http.get('*/hop/:count', ({ params }) => {
      const count = Number(params.count);
      const location = count <= 1 ? '/img.png?sig=abc' : `/hop/${count - 1}`;
      return new HttpResponse(null, { status: 302, headers: { location } });
    }),
    http.get('*/to', ({ request }) => {
      const target = new URL(request.url).searchParams.get('target')!;
      return new HttpResponse(null, { status: 301, headers: { location: target } });
    }),
    http.get('*/big.png', () => new HttpResponse(new Uint8Array(50_000))),
    http.get('*/hang.png', async () => {
      await delay('infinite');
      return new HttpResponse(null);
    }),
    http.get(
      '*/gone.png',
      () => new HttpResponse('<Error>AuthenticationFailed</Error>', { status: 403 }),
    ),
  ]);
  port = server.port;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A DNS table for the tests: names to the addresses they "resolve" to. */
const dns: Record<string, string[]> = {
  'images.test': ['127.0.0.1'],
  'private.test': ['10.1.2.3'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['93.184.216.34', '192.168.1.20'],
  'mapped.test': ['::ffff:127.0.0.1'],
};
const lookups: string[] = [];
const lookup: LookupFunction = (hostname, options, callback) => {
  lookups.push(hostname);
  const addresses = dns[hostname];
  if (addresses === undefined) {
    callback(
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
      '',
      0,
    );
    return;
  }
  const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  if (options.all) callback(null, list);
  else callback(null, list[0]!.address, list[0]!.family);
};

const limits = (overrides: Partial<ImageDownloadLimits> = {}): ImageDownloadLimits => ({
  maxBytes: 10_000,
  allowHttp: true,
  allowedHosts: [
    'images.test',
    '*.allowed.test',
    'private.test',
    'metadata.test',
    'mixed.test',
    'mapped.test',
    '10.0.0.8',
    '127.0.0.1',
    '[::1]',
    '169.254.169.254',
  ],
  allowedAddresses: ['127.0.0.1'],
  lookup,
  timeoutMs: 2000,
  ...overrides,
});

const download = (
  url: string,
  overrides: Partial<ImageDownloadLimits> = {},
  signal = new AbortController().signal,
) => downloadImage(url, limits(overrides), signal, { requestId: 'req_api' });

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe('downloadImage', () => {
  it('downloads from an allowed host through the injected lookup, keeping the query', async () => {
    const before = server.requests.length;
    const bytes = await download(`http://images.test:${port}/img.png?se=2026&sig=abc%3D`);
    expect(bytes).toEqual(image);
    expect(server.requests.at(-1)!.path).toBe('/img.png?se=2026&sig=abc%3D');
    expect(server.requests.length).toBe(before + 1);
    expect(lookups).toContain('images.test');
  });

  it('downloads from an exempt IP literal', async () => {
    expect(await download(`http://127.0.0.1:${port}/img.png`)).toEqual(image);
  });

  it('follows up to three redirects, each re-checked', async () => {
    expect(await download(`http://images.test:${port}/hop/3`)).toEqual(image);
    const error = await refusal(download(`http://images.test:${port}/hop/4`));
    expect(error).toMatchObject({
      code: 'provider_download_refused',
      retryable: false,
      requestId: 'req_api',
    });
    expect(error.message).toContain('more than 3 redirects');
    expect(await download(`http://images.test:${port}/hop/1`, { maxRedirects: 1 })).toEqual(image);
  });

  it.each<[string, string, Partial<ImageDownloadLimits>, RegExp]>([
    [
      'plain http by default',
      'http://images.test:PORT/img.png',
      { allowHttp: false },
      /does not use https/,
    ],
    [
      'a host not on the list',
      'https://evil.test/img.png',
      {},
      /evil\.test is not an allowed host/,
    ],
    ['a look-alike suffix', 'https://images.test.evil.test/img.png', {}, /not an allowed host/],
    ['the apex of a wildcard', 'https://allowed.test/img.png', {}, /not an allowed host/],
    [
      'the default allowlist',
      'https://images.test/img.png',
      { allowedHosts: undefined },
      /oaidalleapiprodscus\.blob\.core\.windows\.net/,
    ],
    [
      'a loopback literal',
      'http://127.0.0.1:PORT/img.png',
      { allowedAddresses: [] },
      /127\.0\.0\.1 is not a public address/,
    ],
    [
      'an IPv6 loopback literal',
      'http://[::1]:PORT/img.png',
      {},
      /\[::1\] is not a public address/,
    ],
    ['a private literal', 'https://10.0.0.8/img.png', {}, /10\.0\.0\.8 is not a public address/],
    [
      'the metadata address',
      'http://169.254.169.254/latest/meta-data',
      {},
      /169\.254\.169\.254 is not a public address/,
    ],
    [
      'a name resolving to a private address',
      'https://private.test/img.png',
      {},
      /private\.test: it resolves to 10\.1\.2\.3/,
    ],
    [
      'a name resolving to the metadata address',
      'https://metadata.test/img.png',
      {},
      /resolves to 169\.254\.169\.254/,
    ],
    [
      'a name with one private address among public ones',
      'https://mixed.test/img.png',
      {},
      /resolves to 192\.168\.1\.20/,
    ],
    [
      'a name resolving to a mapped loopback',
      'https://mapped.test/img.png',
      { allowedAddresses: [] },
      /resolves to ::ffff:127\.0\.0\.1/,
    ],
    [
      'a name resolving to an exempt address, unexempted',
      'http://images.test:PORT/img.png',
      { allowedAddresses: [] },
      /resolves to 127\.0\.0\.1/,
    ],
    [
      'credentials in the URL',
      'https://user:secret@images.test/img.png',
      {},
      /carries credentials/,
    ],
    ['a URL that is not one', 'not a url', {}, /not a valid URL/],
    ['an ftp URL', 'ftp://images.test/img.png', {}, /does not use https/],
  ])('refuses %s', async (_name, url, overrides, message) => {
    const before = server.requests.length;
    const error = await refusal(download(url.replace('PORT', String(port)), overrides));
    expect(error).toMatchObject({ code: 'provider_download_refused', retryable: false });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('secret');
    expect(server.requests.length).toBe(before);
  });

  it.each<[string, string, RegExp]>([
    ['a host not on the list', 'https://evil.test/img.png', /evil\.test is not an allowed host/],
    [
      'a name resolving to a private address',
      'https://private.test/img.png',
      /resolves to 10\.1\.2\.3/,
    ],
    ['a loopback literal', 'http://127.0.0.2:PORT/img.png', /127\.0\.0\.2 is not a public address/],
    ['a non-https URL', 'ftp://images.test/img.png', /does not use https/],
  ])('refuses a redirect to %s', async (_name, target, message) => {
    const location = encodeURIComponent(target.replace('PORT', String(port)));
    const error = await refusal(
      download(`http://images.test:${port}/to?target=${location}`, {
        allowedHosts: ['images.test', 'private.test', '127.0.0.2'],
      }),
    );
    expect(error).toMatchObject({ code: 'provider_download_refused', retryable: false });
    expect(error.message).toMatch(message);
  });

  it('follows no redirect with maxRedirects 0', async () => {
    const error = await refusal(download(`http://images.test:${port}/hop/1`, { maxRedirects: 0 }));
    expect(error.message).toContain('more than 0 redirects');
  });

  it('caps the bytes read', async () => {
    const error = await refusal(download(`http://images.test:${port}/big.png`));
    expect(error).toMatchObject({ code: 'provider_response_too_large', retryable: false });
  });

  it('times out', async () => {
    const started = Date.now();
    const error = await refusal(
      download(`http://images.test:${port}/hang.png`, { timeoutMs: 150 }),
    );
    expect(error).toMatchObject({ code: 'provider_timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a failed download with its status', async () => {
    const error = await refusal(download(`http://images.test:${port}/gone.png?sig=topsecret`));
    expect(error).toMatchObject({ status: 403, retryable: false });
    expect(error.message).not.toContain('topsecret');
  });

  it('aborts', async () => {
    const controller = new AbortController();
    const pending = download(`http://images.test:${port}/hang.png`, {}, controller.signal);
    setTimeout(() => controller.abort(), 30);
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AbortError);
  });

  it('reports an unknown host as a connection error', async () => {
    const error = await refusal(download('https://unknown.allowed.test/img.png'));
    expect(error).toMatchObject({ code: 'provider_connection_error' });
  });
});
