import { createHash } from 'node:crypto';
import { ValidationError } from '@layerloom/core';

function stable(value: unknown, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'object' || seen.has(value)) {
    throw new TypeError(
      `cannot fingerprint a ${typeof value === 'object' ? 'cycle' : typeof value}`,
    );
  }
  seen.add(value);
  const result = Array.isArray(value)
    ? value.map((item) => (item === undefined ? null : stable(item, seen)))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
          .map((key) => [key, stable((value as Record<string, unknown>)[key], seen)]),
      );
  seen.delete(value);
  return result;
}

/**
 * A short stable hash of a configuration (keys sorted, `undefined` fields left out), for
 * `Provider.fingerprint`: providers whose defaults or workflows differ get different cache keys.
 *
 * @param value - JSON-like configuration, free of secrets.
 * @param subject - what is fingerprinted, for the error.
 * @returns 16 hex digits of a sha256.
 * @throws ValidationError when the value holds something JSON cannot (a function, a cycle…).
 */
export function createFingerprint(value: unknown, subject: string): string {
  let text: string;
  try {
    text = JSON.stringify(stable(value, new Set()));
  } catch (error) {
    throw new ValidationError(
      [
        {
          path: [],
          message: `Expected ${subject} to hold only JSON values (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
      { subject, cause: error },
    );
  }
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
