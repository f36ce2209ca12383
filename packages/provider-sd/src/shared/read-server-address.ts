import type { BasicCredentials } from './basic-authorization.js';

/** A base URL with any `user:password@` part taken out. */
export interface ServerAddress {
  /** The base URL without credentials and without a trailing slash. */
  readonly baseURL: string;
  /** Basic-auth credentials that were written into the URL, if any. */
  readonly credentials?: BasicCredentials;
}

/**
 * Splits credentials out of a base URL (`http://user:pass@host:7860`), so they travel as a
 * header and never appear in an error message that names the URL.
 *
 * @param baseURL - an absolute http(s) URL (already validated).
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
