import { describe, expect, it } from 'vitest';
import { readServerAddress } from './read-server-address.js';

describe('readServerAddress', () => {
  it('takes percent-decoded credentials out of the URL and drops the trailing slash', () => {
    expect(readServerAddress('http://art%40ist:p%3Ass@127.0.0.1:7860/')).toEqual({
      baseURL: 'http://127.0.0.1:7860',
      credentials: { username: 'art@ist', password: 'p:ss' },
    });
  });

  it('keeps a path prefix and leaves URLs without credentials alone', () => {
    expect(readServerAddress('https://comfy.example/api//')).toEqual({
      baseURL: 'https://comfy.example/api',
    });
  });
});
