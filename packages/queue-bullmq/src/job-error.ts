import {
  AbortError,
  describeValue,
  isLayerloomError,
  LayerloomError,
  ProviderError,
  TimeoutError,
  ValidationError,
} from '@layerloom/core';

const prefix = 'layerloom-error:';

/**
 * Turns what a step job threw into the text BullMQ keeps as `failedReason` and relays to the
 * submitter: the error's JSON summary (`toJSON`: name, code, message, status, request id…),
 * which never holds a secret. Foreign errors keep only their class name.
 *
 * @param error - what the attempt threw.
 * @returns a text starting with `layerloom-error:`.
 */
export function serializeJobError(error: unknown): string {
  const summary = isLayerloomError(error)
    ? error.toJSON()
    : {
        name: 'LayerloomError',
        code: 'worker_error',
        message: `A worker failed with ${error instanceof Error ? `an unexpected ${error.name}` : `a non-error value (${typeof error})`}`,
      };
  return `${prefix}${JSON.stringify(summary)}`;
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
const numberOf = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Rebuilds a Layerloom error from a `failedReason` or a retry notice (see
 * {@link serializeJobError}): a `ProviderError`, `TimeoutError`, `AbortError` or a
 * `LayerloomError` with the same code and message. BullMQ's own reasons (a job stalled too
 * often, a lost lock) become a `LayerloomError` `worker_error`.
 *
 * @param text - the job's failed reason.
 * @param label - what failed, e.g. `Layer "hero" on "A"`.
 */
export function deserializeJobError(text: string, label: string): LayerloomError {
  const wrong = [
    ...(typeof text === 'string' ? [] : [{ name: 'text', value: text as unknown }]),
    ...(typeof label === 'string' ? [] : [{ name: 'label', value: label as unknown }]),
  ];
  if (wrong.length > 0) {
    throw new ValidationError(
      wrong.map(({ name, value }) => ({
        path: [name],
        message: `Expected \`${name}\` to be a string, got ${describeValue(value)}`,
      })),
      { subject: 'deserializeJobError arguments' },
    );
  }
  let summary: Record<string, unknown> | undefined;
  if (text.startsWith(prefix)) {
    try {
      const parsed: unknown = JSON.parse(text.slice(prefix.length));
      if (typeof parsed === 'object' && parsed !== null)
        summary = parsed as Record<string, unknown>;
    } catch {
      summary = undefined;
    }
  }
  if (summary === undefined) {
    return new LayerloomError(
      'worker_error',
      `${label} failed on the queue: ${text.slice(0, 300)}`,
    );
  }
  const code = stringOf(summary.code) ?? 'worker_error';
  const message = stringOf(summary.message) ?? `${label} failed`;
  if (stringOf(summary.name) === 'ProviderError' || stringOf(summary.provider) !== undefined) {
    const status = numberOf(summary.status);
    const requestId = stringOf(summary.requestId);
    const retryAfterMs = numberOf(summary.retryAfterMs);
    const providerCode = stringOf(summary.providerCode);
    return new ProviderError(message, {
      provider: stringOf(summary.provider) ?? 'unknown',
      retryable: summary.retryable === true,
      code,
      ...(status === undefined ? {} : { status }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(providerCode === undefined ? {} : { providerCode }),
    });
  }
  if (code === 'timeout') return new TimeoutError(message, numberOf(summary.timeoutMs) ?? 0);
  if (code === 'aborted') return new AbortError(message);
  return new LayerloomError(code, message);
}
