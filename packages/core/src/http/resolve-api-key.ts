import { ValidationError } from '../errors/validation-error.js';

/**
 * An environment variable's value, or `undefined` when it is unset or empty.
 *
 * @param name - the variable, e.g. `OPENAI_API_KEY`.
 */
export function environmentValue(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Where {@link resolveApiKey} looks, and how it words a missing key. */
export interface ApiKeySource {
  /** Environment variables to read, in order, when the setting is absent. */
  readonly variables: readonly string[];
  /**
   * What was expected besides the setting, for the error: e.g. `the OPENAI_API_KEY environment
   * variable to hold an OpenAI API key`.
   */
  readonly expected: string;
  /** The settings' name in errors, e.g. `OpenAI settings`. */
  readonly subject: string;
}

/**
 * An adapter's API key: the `apiKey` setting, else the first environment variable that is set.
 * Adapters call it when the first request is sent, so that creating an instance and building
 * providers never need a key.
 *
 * @param setting - the `apiKey` setting, if given.
 * @param source - the variables to read and the wording of the error.
 * @returns the key.
 * @throws ValidationError naming `apiKey` (never a key's value) when there is none.
 */
export function resolveApiKey(setting: string | undefined, source: ApiKeySource): string {
  const key =
    setting ??
    source.variables.map(environmentValue).find((value): value is string => value !== undefined);
  if (key === undefined) {
    throw ValidationError.field(
      ['apiKey'],
      `Expected \`apiKey\` or ${source.expected}, got nothing`,
      source.subject,
    );
  }
  return key;
}

/**
 * Headers with lower-case names, so that a user's header replaces the adapter's own of the same
 * name whatever its case (`{ ...own, ...lowerCaseHeaders(extra) }`).
 *
 * @param headers - the user's headers, if any.
 */
export function lowerCaseHeaders(
  headers: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
