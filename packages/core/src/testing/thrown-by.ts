import { AssertionError } from 'node:assert';

/** A class of errors, to check what was thrown against. */
export type ErrorClass<Thrown> = abstract new (...args: never[]) => Thrown;

function check<Thrown>(
  error: unknown,
  expected: ErrorClass<Thrown> | undefined,
  what: string,
): Thrown {
  if (expected !== undefined && !(error instanceof expected)) {
    throw new AssertionError({
      message: `Expected ${what} with a ${expected.name}, got ${error instanceof Error ? `a ${error.name}: ${error.message}` : String(error)}`,
      actual: error,
      expected,
    });
  }
  return error as Thrown;
}

/**
 * Runs `action` and returns what it threw, to inspect the error's fields in a test. Fails with
 * an `AssertionError` when nothing is thrown, or when the error is not an `expected`.
 *
 * @param action - the code that should throw.
 * @param expected - the class the error must be an instance of, e.g. `ValidationError`.
 * @returns the thrown error.
 *
 * @example
 * const error = thrownBy(() => createPetStudio({ apiKey: '' }), ValidationError);
 * expect(error.issues[0]!.path).toEqual(['apiKey']);
 */
export function thrownBy<Thrown = unknown>(
  action: () => unknown,
  expected?: ErrorClass<Thrown>,
): Thrown {
  try {
    action();
  } catch (error) {
    return check(error, expected, 'the action to throw');
  }
  throw new AssertionError({ message: 'Expected the action to throw, but it returned' });
}

/**
 * Waits for `promise` and returns its rejection reason, to inspect the error's fields in a
 * test. Fails with an `AssertionError` when it resolves, or when the reason is not an
 * `expected`.
 *
 * @param promise - the call that should fail, e.g. `provider.generate(request)`.
 * @param expected - the class the reason must be an instance of, e.g. `ProviderError`.
 * @returns the rejection reason.
 *
 * @example
 * const error = await rejectionOf(provider.generate(request()), ProviderError);
 * expect(error).toMatchObject({ status: 429, retryable: true });
 */
export async function rejectionOf<Thrown = unknown>(
  promise: Promise<unknown>,
  expected?: ErrorClass<Thrown>,
): Promise<Thrown> {
  try {
    await promise;
  } catch (error) {
    return check(error, expected, 'the promise to reject');
  }
  throw new AssertionError({ message: 'Expected the promise to reject, but it resolved' });
}
