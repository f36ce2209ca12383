import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import type { HttpClient } from './create-http-client.js';
import { lazyHttpClient } from './lazy-http-client.js';

/** A stand-in client that only counts its closes (no request is made here). */
function countingClient(closed: { count: number }): HttpClient {
  return {
    close: async () => {
      closed.count++;
    },
  } as unknown as HttpClient;
}

describe('lazyHttpClient', () => {
  it('makes the client on first use only, and the same one after that', () => {
    let made = 0;
    const closed = { count: 0 };
    const lazy = lazyHttpClient(() => {
      made++;
      return countingClient(closed);
    });
    expect(made).toBe(0);
    const first = lazy.get();
    expect(lazy.get()).toBe(first);
    expect(made).toBe(1);
  });

  it('throws what making it throws, and tries again next time', () => {
    let key: string | undefined;
    const lazy = lazyHttpClient(() => {
      if (key === undefined) throw ValidationError.field(['apiKey'], 'Expected an API key');
      return countingClient({ count: 0 });
    });
    expect(() => lazy.get()).toThrow(ValidationError);
    key = 'k';
    expect(lazy.get()).toBeDefined();
  });

  it('closes the client it made, then makes a new one; closing before any use does nothing', async () => {
    const closed = { count: 0 };
    let made = 0;
    const lazy = lazyHttpClient(() => {
      made++;
      return countingClient(closed);
    });
    await lazy.close();
    expect(closed.count).toBe(0);
    const first = lazy.get();
    await lazy.close();
    expect(closed.count).toBe(1);
    expect(lazy.get()).not.toBe(first);
    expect(made).toBe(2);
    await lazy.close();
    await lazy.close();
    expect(closed.count).toBe(2);
  });
});
