import { describe, expect, it } from 'vitest';
import { basicAuthorization } from './basic-authorization.js';

describe('basicAuthorization', () => {
  it('encodes user:password as UTF-8 base64', () => {
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    const header = basicAuthorization({ username: 'jürgen', password: 'pä:ss' });
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    expect(decoded).toBe('jürgen:pä:ss');
  });
});
