/** HTTP Basic credentials. */
export interface BasicCredentials {
  /** User name (may not contain `:`). */
  readonly username: string;
  /** Password. Never shown in errors. */
  readonly password: string;
}

/**
 * The `Authorization` header value for HTTP Basic auth.
 *
 * @param credentials - user name and password.
 */
export function basicAuthorization(credentials: BasicCredentials): string {
  const token = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8');
  return `Basic ${token.toString('base64')}`;
}
