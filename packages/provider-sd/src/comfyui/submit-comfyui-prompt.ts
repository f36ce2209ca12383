import { ProviderError } from '@layerloom/core';
import type { HttpBody, HttpClient } from '@layerloom/core/http';
import { describeComfyUINodeErrors } from './describe-comfyui-error.js';

/** Options of {@link submitComfyUIPrompt}. */
export interface SubmitComfyUIPromptOptions {
  /** Provider id, for errors. */
  readonly provider: string;
  /** Limit for the request, in milliseconds. */
  readonly timeoutMs: number;
}

/** What ComfyUI answered to a queued prompt. */
export interface SubmittedComfyUIPrompt {
  /** The prompt id, to follow and to cancel it. */
  readonly promptId: string;
  /** Its place in the server's queue, when given. */
  readonly queueNumber: number | undefined;
  /** Outputs ComfyUI skipped because they failed validation (the prompt runs without them). */
  readonly warnings: readonly string[];
}

/**
 * Queues a prompt with `POST /prompt`. The request is deliberately not tied to the call's
 * abort signal: once sent, the prompt must be known (by its id) to be cancelled.
 *
 * @param http - the server's client.
 * @param body - the serialised `{ prompt, client_id }` body (see `buildComfyUIPrompt`).
 * @param options - provider id and the limit.
 * @returns the prompt id, its queue number and warnings for skipped outputs.
 * @throws ProviderError for an error status, or `provider_bad_response` without a `prompt_id`.
 */
export async function submitComfyUIPrompt(
  http: HttpClient,
  body: HttpBody,
  options: SubmitComfyUIPromptOptions,
): Promise<SubmittedComfyUIPrompt> {
  const submitted = await http.request({
    method: 'POST',
    path: '/prompt',
    body,
    timeoutMs: options.timeoutMs,
  });
  const answer = submitted.json<{
    prompt_id?: unknown;
    number?: unknown;
    node_errors?: unknown;
  } | null>();
  if (typeof answer?.prompt_id !== 'string' || answer.prompt_id === '') {
    throw new ProviderError('ComfyUI POST /prompt answered without a `prompt_id`', {
      provider: options.provider,
      status: submitted.status,
      retryable: false,
      code: 'provider_bad_response',
    });
  }
  return {
    promptId: answer.prompt_id,
    queueNumber: typeof answer.number === 'number' ? answer.number : undefined,
    warnings: describeComfyUINodeErrors(answer.node_errors).map(
      (line) => `ComfyUI skipped an output that failed validation: ${line}`,
    ),
  };
}
