import { isLayerloomError, LayerloomError } from '../errors/layerloom-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { RetryError } from '../errors/retry-error.js';
import type { StepErrorPolicy } from '../loom/loom-options.js';
import { describeFailure } from '../scheduler/retry-policy.js';
import type { Provider } from '../types/provider.js';
import type { SkippedStep } from '../types/render-result.js';

/**
 * Turns anything a provider threw into a Layerloom error without copying its message (a
 * foreign error's text may hold a secret); Layerloom errors pass unchanged.
 *
 * @param error - what the provider (or its executor) threw.
 * @param alias - the provider's alias.
 * @param provider - the provider.
 */
export function asProviderFailure(
  error: unknown,
  alias: string,
  provider: Provider,
): LayerloomError {
  if (isLayerloomError(error)) return error;
  const what =
    error instanceof Error ? `an unexpected ${error.name}` : `a non-error value (${typeof error})`;
  return new ProviderError(
    `Provider "${alias}" (${provider.id}/${provider.modelId}) threw ${what}; see \`cause\``,
    { provider: provider.id, retryable: false, code: 'provider_unexpected_error', cause: error },
  );
}

/**
 * The final error of a call after its failed attempts: the only error itself (or an abort), or
 * a `RetryError` listing them all.
 *
 * @param label - what failed, e.g. `Layer "hero" on "A"`.
 * @param errors - the attempts' errors that are known, in order (at least one: the last).
 * @param attempts - how many attempts failed, when more than the errors known.
 */
export function finalFailure(
  label: string,
  errors: readonly LayerloomError[],
  attempts = errors.length,
): LayerloomError {
  const last = errors.at(-1)!;
  const count = Math.max(attempts, errors.length);
  if (count <= 1 || last.code === 'aborted') return last;
  return new RetryError(`${label} failed after ${count} attempts: ${describeFailure(last)}`, [
    ...errors,
  ]);
}

/** What a step does after its candidate at `position` failed for good. */
export type StepFailureOutcome =
  | {
      /** The next candidate paints the step. */
      readonly outcome: 'fallback';
      /** The note its record carries about this failure. */
      readonly note: string;
    }
  | {
      /** The step is left out (`onLayerError: 'skip'`). */
      readonly outcome: 'skip';
      /** The skipped step, as the result lists it. */
      readonly skipped: SkippedStep;
    }
  | {
      /** The render fails with the error. */
      readonly outcome: 'fail';
    };

/** A step as {@link settleStepFailure} reads it. */
export interface FailingStep {
  /** Layer id, or `style`. */
  readonly id: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** Aliases of its candidates, in fallback order. */
  readonly providers: readonly string[];
}

/**
 * The failure policy of a step: a failed candidate falls back to the next one; the last one's
 * failure skips the step under `onLayerError: 'skip'`, and fails the render otherwise.
 *
 * @param step - the step.
 * @param position - index of the candidate that failed.
 * @param failure - its final error.
 * @param attempts - provider calls the step made so far, earlier candidates included.
 * @param policy - the render's `onLayerError`.
 */
export function settleStepFailure(
  step: FailingStep,
  position: number,
  failure: LayerloomError,
  attempts: number,
  policy: StepErrorPolicy,
): StepFailureOutcome {
  if (position < step.providers.length - 1) {
    return {
      outcome: 'fallback',
      note: `"${step.providers[position]}" failed (${describeFailure(failure)}); the next provider was tried`,
    };
  }
  if (policy === 'skip') {
    return {
      outcome: 'skip',
      skipped: {
        id: step.id,
        kind: step.kind,
        providers: step.providers,
        error: failure,
        attempts,
      },
    };
  }
  return { outcome: 'fail' };
}

/**
 * A chained layer whose input layer was skipped is skipped too, without a call.
 *
 * @param step - the chained layer.
 * @param input - id of its skipped input layer.
 * @returns the skipped step (its error has the code `input_skipped`).
 */
export function inputSkipped(step: FailingStep, input: string): SkippedStep {
  return {
    id: step.id,
    kind: 'layer',
    providers: step.providers,
    error: new LayerloomError(
      'input_skipped',
      `Layer "${step.id}" was skipped: its input layer "${input}" was skipped`,
    ),
    attempts: 0,
  };
}
