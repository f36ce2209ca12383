import { ValidationError } from '../errors/validation-error.js';
import { canonicalJson } from './canonical-json.js';
import { sha256 } from './sha256.js';

/** Whether `value` is what JSON holds: a configuration sent to a server must be. */
function isJsonData(value: unknown, seen: Set<object>): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || seen.has(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return false;
  seen.add(value);
  const ok = Object.values(value).every((item) => isJsonData(item, seen));
  seen.delete(value);
  return ok;
}

/**
 * A short stable hash of a provider's configuration, for `Provider.fingerprint`: two
 * configurations of the same provider and model that paint differently (default options, a
 * workflow template) get different fingerprints, and so different cache keys. Keys are sorted
 * and `undefined` fields left out, so the order a configuration was written in does not matter.
 *
 * @param value - plain data (objects, arrays, strings, finite numbers, booleans, `null`), free
 *   of secrets: never pass an API key, a password or an authorization header.
 * @param subject - what is fingerprinted, named in the error (e.g. `OpenAI image defaults`).
 * @returns 16 lower-case hex digits of a sha256.
 * @throws ValidationError when the value holds something else (a function, a class instance,
 *   a non-finite number or a cycle).
 *
 * @example
 * ```ts
 * const provider: Provider = { id: 'pet-studio', modelId, fingerprint: createFingerprint(defaults, 'Pet Studio defaults'), … };
 * ```
 */
export function createFingerprint(value: unknown, subject: string): string {
  const text = isJsonData(value, new Set()) ? canonicalJson(value) : undefined;
  if (text === undefined) {
    throw new ValidationError(
      [
        {
          path: [],
          message: `Expected ${subject} to hold only plain data (objects, arrays, strings, finite numbers, booleans, null)`,
        },
      ],
      { subject },
    );
  }
  return sha256(text).slice(0, 16);
}
