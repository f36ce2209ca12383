/** HTTP Basic credentials. */
export interface BasicCredentials {
  /** User name (may not contain `:`). */
  readonly username: string;
  /** Password. Never shown in errors. */
  readonly password: string;
}

/**
 * The `Authorization` header value for HTTP Basic auth (RFC 7617, UTF-8).
 *
 * Pass the password to `createHttpClient`'s `secrets` too; the client then redacts it (and the
 * header value, which it recognises as a credential) from every message.
 *
 * @param credentials - user name and password.
 * @returns `Basic <base64 of "username:password">`.
 *
 * @example
 * const headers = { authorization: basicAuthorization({ username: 'artist', password }) };
 */
export function basicAuthorization(credentials: BasicCredentials): string {
  const token = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8');
  return `Basic ${token.toString('base64')}`;
}
