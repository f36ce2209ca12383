import { describe, expect, it } from 'vitest';
import type { HttpResponse } from './create-http-client.js';
import { describeJsonError } from './describe-json-error.js';

const response = (text: string): HttpResponse => ({
  status: 500,
  headers: {},
  body: new TextEncoder().encode(text),
  requestId: undefined,
  text: () => text,
  json: <T>() => JSON.parse(text) as T,
});

const byMessage = (body: Readonly<Record<string, unknown>>) =>
  typeof body.message === 'string' ? { message: body.message, providerCode: 'x' } : {};

describe('describeJsonError', () => {
  it('hands JSON objects to the provider-specific reader', () => {
    expect(describeJsonError(response('{"message":"out of memory"}'), byMessage)).toEqual({
      message: 'out of memory',
      providerCode: 'x',
    });
  });

  it('describes other bodies by their text, or by nothing', () => {
    expect(describeJsonError(response('  <h1>Bad Gateway</h1>\n'), byMessage)).toEqual({
      message: '<h1>Bad Gateway</h1>',
    });
    expect(describeJsonError(response('x'.repeat(1000)), byMessage).message).toHaveLength(300);
    for (const text of ['', '  ', '[1,2]', '"text"', 'null', '42']) {
      expect(describeJsonError(response(text), byMessage), text).toEqual({});
    }
  });
});
