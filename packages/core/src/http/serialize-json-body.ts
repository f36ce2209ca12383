import { ValidationError } from '../errors/validation-error.js';

/**
 * Serialises a JSON request body up front, so that a value JSON cannot hold (a `BigInt`, a
 * cycle) in caller-supplied options fails as a {@link ValidationError} naming the field, not as
 * a bare `TypeError` from deep inside the HTTP client. `createHttpClient` does the same for
 * `{ json }` bodies (blaming `body`); call this yourself to blame the caller's own field and to
 * fail before any other request of the call is sent.
 *
 * @param value - the body.
 * @param field - the caller-supplied field to blame, e.g. `options`.
 * @param subject - what was validated, for the message, e.g. `A1111 request`.
 * @returns a text body with `content-type: application/json` (an `HttpBody`).
 * @throws ValidationError when `value` cannot be serialised.
 *
 * @example
 * const body = serializeJsonBody(payload, 'options', 'Pet Studio request');
 * await http.request({ method: 'POST', path: '/paint', body, signal });
 */
export function serializeJsonBody(
  value: unknown,
  field: string,
  subject: string,
): { readonly text: string; readonly contentType: 'application/json' } {
  try {
    return { text: JSON.stringify(value), contentType: 'application/json' };
  } catch (error) {
    throw new ValidationError(
      [
        {
          path: [field],
          message: `Expected \`${field}\` to hold only JSON values, got one that cannot be serialised (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
      { subject, cause: error },
    );
  }
}
