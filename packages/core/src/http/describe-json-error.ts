import type { HttpErrorDescription, HttpResponse } from './http-response.js';

/** Longest text of a non-JSON error body put in a message. */
const maxTextLength = 300;

/**
 * The usual start of a `describeError` for `createHttpClient`: parses the error response's
 * body as JSON and hands a JSON object to `describe`. A body that is not JSON (an HTML page
 * from a proxy, plain text) is described by its text, trimmed to its first 300 characters;
 * an empty body, or JSON that is not an object, by nothing.
 *
 * @param response - the error response.
 * @param describe - reads the provider's error object, e.g. `{ error: { message, code } }`.
 * @returns what the client puts in its `ProviderError`.
 *
 * @example
 * const describeError = (response: HttpResponse) =>
 *   describeJsonError(response, (body) =>
 *     typeof body.detail === 'string' ? { message: body.detail } : {},
 *   );
 */
export function describeJsonError(
  response: HttpResponse,
  describe: (body: Readonly<Record<string, unknown>>) => HttpErrorDescription,
): HttpErrorDescription {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text());
  } catch {
    const text = response.text().trim().slice(0, maxTextLength);
    return text === '' ? {} : { message: text };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return describe(parsed as Record<string, unknown>);
}
