import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { emittedText } from './emitted-text.js';

describe('emittedText', () => {
  it('shows an error’s message, fields and its causes', () => {
    const cause = new Error('socket said sk-secret-1');
    const error = new ProviderError('call failed', {
      provider: 'x',
      retryable: false,
      requestId: 'req-sk-secret-2',
      cause,
    });
    const text = emittedText(error);
    expect(text).toContain('call failed');
    expect(text).toContain('req-sk-secret-2');
    expect(text).toContain('sk-secret-1');
  });

  it('shows a value as JSON, without its bytes', () => {
    const text = emittedText({ image: { bytes: new Uint8Array(3) }, note: 'hello' });
    expect(text).toBe('{"image":{"bytes":"[bytes]"},"note":"hello"}');
    expect(emittedText(undefined)).toBe('');
  });
});
