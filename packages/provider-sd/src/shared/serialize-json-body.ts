import { ValidationError } from '@layerloom/core';
import type { HttpBody } from '@layerloom/core/http';

/**
 * Serialises a request body up front, so that a value JSON cannot hold (a `BigInt`, a cycle)
 * in caller-supplied options fails as a {@link ValidationError} naming the field, not as a
 * bare `TypeError` from deep inside the HTTP client.
 *
 * @param value - the body.
 * @param field - the caller-supplied field to blame, e.g. `options`.
 * @param subject - what was validated, for the message.
 */
export function serializeJsonBody(value: unknown, field: string, subject: string): HttpBody {
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
