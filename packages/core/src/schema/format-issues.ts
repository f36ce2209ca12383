import type { z } from 'zod';
import type { ValidationIssue } from '../errors/validation-error.js';

/**
 * Prefix marking an error message written by our schemas: it is an "expected" phrase such as
 * `a number from 0 to 1`, completed into a sentence by {@link formatIssues}.
 */
export const expectedMarker = '\u0001';

/** A zod `error` option whose message is an "expected" phrase. */
export const expected = (phrase: string) => ({ error: `${expectedMarker}${phrase}` });

/** `layers[0].placement.x` from `['layers', 0, 'placement', 'x']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** How a received value is shown in a message: `` `3` (number) ``, `an object`, … */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return '`null`';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `\`${String(value)}\` (${typeof value})`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  bigint: 'a bigint',
  function: 'a function',
};

function expectedPhrase(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith(expectedMarker)) return issue.message.slice(1);
  switch (issue.code) {
    case 'invalid_type':
      return typeNames[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} items`
        : issue.origin === 'string'
          ? `a non-empty string`
          : `at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} items`
        : issue.origin === 'string'
          ? `at most ${issue.maximum} characters`
          : `at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into {@link ValidationIssue}s whose messages name the field, what was
 * expected and what was received.
 *
 * @param issues - zod's issues.
 * @param input - the validated value, to show what was received.
 * @param subject - name of the root value, used when the path is empty.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  subject: string,
): ValidationIssue[] {
  return issues.map((issue) => {
    const path = issue.path.filter(
      (key): key is string | number => typeof key === 'string' || typeof key === 'number',
    );
    const field = path.length === 0 ? subject : formatPath(path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => `\`${key}\``).join(', ');
      return {
        path,
        message: `Unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${keys} in \`${field}\``,
      };
    }
    if (issue.code === 'custom' && !issue.message.startsWith(expectedMarker)) {
      return { path, message: `\`${field}\`: ${issue.message}` };
    }
    const received = describeValue(valueAt(input, path));
    return {
      path,
      message: `Expected \`${field}\` to be ${expectedPhrase(issue)}, got ${received}`,
    };
  });
}
