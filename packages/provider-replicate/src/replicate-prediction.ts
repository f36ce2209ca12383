import { ProviderError } from '@layerloom/core';
import type { HttpClient, HttpResponse } from '@layerloom/core/http';
import { z } from 'zod';
import { replicateErrorCodes } from './describe-replicate-error.js';

/** A prediction as the API returns it (the fields the adapter reads). */
export interface ReplicatePrediction {
  readonly id: string;
  readonly status: string;
  readonly model?: string | undefined;
  readonly version?: string | undefined;
  readonly output?: unknown;
  readonly error?: unknown;
  readonly logs?: unknown;
  readonly metrics?: { readonly predict_time?: number | undefined } | undefined;
  readonly urls?: { readonly get?: string | undefined; readonly cancel?: string | undefined };
}

/** Statuses after which a prediction no longer changes. `aborted`: its deadline passed first. */
export const terminalStatuses: ReadonlySet<string> = new Set([
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

const predictionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  model: z.string().optional(),
  version: z.string().optional(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  logs: z.unknown().optional(),
  metrics: z.looseObject({ predict_time: z.number().optional() }).nullish(),
  urls: z.looseObject({ get: z.string().optional(), cancel: z.string().optional() }).nullish(),
});

/**
 * Reads a prediction object from an API answer.
 *
 * @param response - a 2xx answer of create, get or cancel.
 * @param requestId - the prediction id, when already known (for errors).
 * @throws ProviderError `provider_bad_response` when it is not JSON or has no `id` and `status`.
 */
export function readPrediction(response: HttpResponse, requestId?: string): ReplicatePrediction {
  const parsed = predictionSchema.safeParse(response.json());
  if (!parsed.success) {
    throw new ProviderError(
      'Replicate returned an answer that is not a prediction (expected `id` and `status`)',
      {
        provider: 'replicate',
        code: replicateErrorCodes.badResponse,
        retryable: false,
        status: response.status,
        ...(requestId === undefined ? {} : { requestId }),
        cause: parsed.error,
      },
    );
  }
  const { metrics, urls, ...rest } = parsed.data;
  return {
    ...rest,
    ...(metrics === null || metrics === undefined ? {} : { metrics }),
    ...(urls === null || urls === undefined ? {} : { urls }),
  } as ReplicatePrediction;
}

/**
 * The API path of a URL an answer names (`urls.get`, `urls.cancel`), when it points inside the
 * client's base URL; otherwise `fallback`. The token is only ever sent to the API's own origin.
 *
 * @param client - the API client.
 * @param named - the URL from the answer.
 * @param fallback - the path to use otherwise, e.g. `/predictions/{id}`.
 */
export function apiPath(client: HttpClient, named: string | undefined, fallback: string): string {
  if (named === undefined) return fallback;
  const base = client.url('/').href;
  let url: URL;
  try {
    url = new URL(named);
  } catch {
    return fallback;
  }
  return url.href.startsWith(base) ? `/${url.href.slice(base.length)}` : fallback;
}
