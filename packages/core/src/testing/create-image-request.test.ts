import { describe, expect, it } from 'vitest';
import { createImageRequest } from './create-image-request.js';

describe('createImageRequest', () => {
  it('fills a request with a fresh, unaborted signal; fields override', () => {
    const first = createImageRequest();
    expect(first).toMatchObject({ prompt: 'a test image', width: 1024, height: 1024 });
    expect(first.signal.aborted).toBe(false);
    const second = createImageRequest({ prompt: 'a corgi', width: 512, seed: 5 });
    expect(second).toMatchObject({ prompt: 'a corgi', width: 512, height: 1024, seed: 5 });
    expect(second.signal).not.toBe(first.signal);
  });
});
