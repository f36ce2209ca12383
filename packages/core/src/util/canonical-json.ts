import { sha256 } from './sha256.js';

/** A value {@link canonicalJson} cannot represent (a function, a symbol, a cycle…). */
class NotCanonical extends Error {}

function canonicalValue(value: unknown, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotCanonical();
    return Object.is(value, -0) ? 0 : value;
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value !== 'object') throw new NotCanonical();
  if (value instanceof Uint8Array) return { $sha256: sha256(value), $bytes: value.length };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (seen.has(value)) throw new NotCanonical();
  seen.add(value);
  let result: unknown;
  if (Array.isArray(value)) {
    result = value.map((item) => (item === undefined ? null : canonicalValue(item, seen)));
  } else {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) throw new NotCanonical();
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) sorted[key] = canonicalValue(field, seen);
    }
    result = sorted;
  }
  seen.delete(value);
  return result;
}

/**
 * A stable JSON text of a value: object keys sorted, `undefined` fields left out, `-0` as `0`,
 * byte arrays replaced by their sha256 and length, dates by their ISO text. Two values that mean
 * the same request give the same text, whatever the key order they were written in.
 *
 * @param value - plain data: objects, arrays, strings, finite numbers, booleans, `null`,
 *   bigints, `Uint8Array`s and dates.
 * @returns the text, or `undefined` when the value holds something else (a function, a class
 *   instance, a symbol, a non-finite number or a cycle).
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(canonicalValue(value, new Set()));
  } catch (error) {
    if (error instanceof NotCanonical) return undefined;
    throw error;
  }
}
