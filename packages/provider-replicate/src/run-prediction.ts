import { AbortError, ProviderError } from '@layerloom/core';
import type { HttpClient } from '@layerloom/core/http';
import { cancelPrediction } from './cancel-prediction.js';
import {
  apiPath,
  type ReplicatePrediction,
  readPrediction,
  terminalStatuses,
} from './replicate-prediction.js';

/** What {@link runPrediction} needs. */
export interface RunPredictionOptions {
  /** The API client. */
  readonly client: HttpClient;
  /** `owner/name` of an official model, called at `/models/{owner}/{name}/predictions`. */
  readonly model: string;
  /** The version to run at `/predictions`, when pinned. */
  readonly version: string | undefined;
  /** The prediction's `input`. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The request's signal. */
  readonly signal: AbortSignal;
  /** `Prefer: wait=N` seconds, or `false`. */
  readonly waitSeconds: number | false;
  /** Pause between polls, in milliseconds. */
  readonly pollIntervalMs: number;
  /** Limit for the whole prediction (and its `Cancel-After` deadline), in milliseconds. */
  readonly predictionTimeoutMs: number;
  /** Called with every state of the prediction seen (for progress). Must not throw. */
  readonly onUpdate: (prediction: ReplicatePrediction) => void;
  /** Keeps a cancellation that outlives the call (the instance's `close()` awaits them). */
  readonly detach: (work: Promise<unknown>) => void;
}

/** What {@link runPrediction} returns: the prediction in its final state. */
export interface FinishedPrediction {
  /** The prediction. */
  readonly prediction: ReplicatePrediction;
  /** HTTP status of the last answer. */
  readonly status: number;
  /** Polls made after the create call. */
  readonly polls: number;
}

/** Whether a prediction's output can be used: it succeeded, or (sync mode) its files are out. */
function finished(prediction: ReplicatePrediction): boolean {
  if (terminalStatuses.has(prediction.status)) return true;
  // With `Prefer: wait`, Replicate answers as soon as every output file exists, maybe while the
  // prediction is still `processing` (tidying up): the files can be used already.
  const { output } = prediction;
  return (
    prediction.status === 'processing' &&
    (typeof output === 'string' ||
      (Array.isArray(output) &&
        output.length > 0 &&
        output.every((item) => typeof item === 'string')))
  );
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(AbortError.fromSignal(signal, 'The Replicate prediction'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `work`, or rejects with an AbortError at once when `signal` aborts first (then
 * `onAbort` takes over `work`, which keeps running).
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(AbortError.fromSignal(signal, 'The Replicate prediction'));
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/**
 * Runs one prediction: creates it (`POST /models/{owner}/{name}/predictions` with `{ input }`,
 * or `POST /predictions` with `{ version, input }`) with `Prefer: wait=N` and a `Cancel-After`
 * deadline, then — unless the answer is already final — polls `GET urls.get` every
 * `pollIntervalMs` until it is.
 *
 * A prediction given up on is canceled (`POST urls.cancel`): on abort, on the prediction
 * deadline, and when a poll fails (a retry creates a new prediction; the old one must not keep
 * running). An abort during the create call rejects at once, but the create request is left
 * to finish, because only its answer names the prediction to cancel.
 *
 * @param options - client, model, input, signal, timing and callbacks.
 * @returns the prediction in a terminal state (or with its output files, in sync mode).
 * @throws ProviderError for failed calls and the deadline (`provider_timeout`, retryable),
 *   AbortError when aborted.
 */
export async function runPrediction(options: RunPredictionOptions): Promise<FinishedPrediction> {
  const { client, signal } = options;
  if (signal.aborted) throw AbortError.fromSignal(signal, 'The Replicate prediction');
  const deadline = Date.now() + options.predictionTimeoutMs;
  const headers: Record<string, string> = {
    'cancel-after': `${Math.ceil(options.predictionTimeoutMs / 1000)}s`,
  };
  if (options.waitSeconds !== false) headers.prefer = `wait=${options.waitSeconds}`;
  const creating = client
    .request({
      method: 'POST',
      path: options.version === undefined ? `/models/${options.model}/predictions` : '/predictions',
      headers,
      body: {
        json:
          options.version === undefined
            ? { input: options.input }
            : { version: options.version, input: options.input },
      },
    })
    .then((response) => ({ response, prediction: readPrediction(response) }));
  const created = await raceAbort(creating, signal, () => {
    options.detach(
      creating.then(
        ({ prediction }) => cancelPrediction(client, prediction),
        () => false,
      ),
    );
  });

  let prediction = created.prediction;
  let status = created.response.status;
  options.onUpdate(prediction);
  let polls = 0;
  const giveUp = () => options.detach(cancelPrediction(client, prediction));
  const pollPath = () =>
    apiPath(client, prediction.urls?.get, `/predictions/${encodeURIComponent(prediction.id)}`);
  try {
    while (!finished(prediction)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ProviderError(
          `The Replicate prediction ${prediction.id} was still ${prediction.status} after ${options.predictionTimeoutMs} ms (setting \`predictionTimeoutMs\`); it was canceled`,
          {
            provider: 'replicate',
            code: 'provider_timeout',
            retryable: true,
            requestId: prediction.id,
          },
        );
      }
      await pause(Math.min(options.pollIntervalMs, left), signal);
      const response = await client.request({ path: pollPath(), signal });
      prediction = readPrediction(response, prediction.id);
      status = response.status;
      polls++;
      options.onUpdate(prediction);
    }
  } catch (error) {
    giveUp();
    throw error;
  }
  return { prediction, status, polls };
}
