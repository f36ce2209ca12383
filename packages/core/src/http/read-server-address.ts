import type { BasicCredentials } from './basic-authorization.js';

/** A base URL with any `user:password@` part taken out. */
export interface ServerAddress {
  /** The base URL without credentials and without a trailing slash. */
  readonly baseURL: string;
  /** Basic-auth credentials that were written into the URL, if any (percent-decoded). */
  readonly credentials?: BasicCredentials;
}

/**
 * Splits credentials out of a base URL (`http://user:pass@host:7860`), so that they travel as
 * an `Authorization` header (see `basicAuthorization`) and never appear in an error message
 * that names the URL. Self-hosted servers behind a proxy are often configured this way.
 *
 * @param baseURL - an absolute http(s) URL, already validated.
 * @returns the clean base URL, and the credentials when the URL had some.
 *
 * @example
 * const address = readServerAddress('http://artist:secret@127.0.0.1:7860/');
 * // { baseURL: 'http://127.0.0.1:7860', credentials: { username: 'artist', password: 'secret' } }
 */
export function readServerAddress(baseURL: string): ServerAddress {
  const url = new URL(baseURL);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const clean = url.href.replace(/\/+$/, '');
  if (username === '' && password === '') return { baseURL: clean };
  return { baseURL: clean, credentials: { username, password } };
}
