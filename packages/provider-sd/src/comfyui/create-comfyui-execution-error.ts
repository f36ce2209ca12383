import { ProviderError } from '@layerloom/core';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The {@link ProviderError} for an `execution_error` message (from the WebSocket or from the
 * history's `status.messages`): names the node, its type and the exception. Only out-of-memory
 * failures are retryable; a failing node fails the same way again.
 *
 * @param data - the message's data.
 * @param provider - provider id.
 * @param promptId - the prompt's id.
 */
export function createComfyUIExecutionError(
  data: Readonly<Record<string, unknown>>,
  provider: string,
  promptId: string,
): ProviderError {
  const nodeId =
    text(data.node_id) ?? (typeof data.node_id === 'number' ? String(data.node_id) : undefined);
  const nodeType = text(data.node_type);
  const exceptionType = text(data.exception_type);
  const exceptionMessage = text(data.exception_message) ?? 'no message';
  const node =
    nodeId === undefined
      ? ''
      : ` in node ${nodeId}${nodeType === undefined ? '' : ` (${nodeType})`}`;
  const kind = exceptionType === undefined ? '' : `${exceptionType}: `;
  const outOfMemory = /out ?of ?memory|OutOfMemory/i.test(`${exceptionType} ${exceptionMessage}`);
  return new ProviderError(
    `ComfyUI prompt ${promptId} failed${node}: ${kind}${exceptionMessage}`.slice(0, 1500),
    {
      provider,
      retryable: outOfMemory,
      requestId: promptId,
      code: 'provider_error',
      ...(exceptionType === undefined ? {} : { providerCode: exceptionType }),
    },
  );
}

/**
 * The {@link ProviderError} for a prompt that someone else interrupted (an
 * `execution_interrupted` message while the call was not aborted). Retryable.
 *
 * @param data - the message's data.
 * @param provider - provider id.
 * @param promptId - the prompt's id.
 */
export function createComfyUIInterruptedError(
  data: Readonly<Record<string, unknown>>,
  provider: string,
  promptId: string,
): ProviderError {
  const nodeType = text(data.node_type);
  return new ProviderError(
    `ComfyUI prompt ${promptId} was interrupted on the server${nodeType === undefined ? '' : ` in ${nodeType}`} (Cancel in the UI, or another client's POST /interrupt)`,
    {
      provider,
      retryable: true,
      requestId: promptId,
      code: 'provider_error',
      providerCode: 'execution_interrupted',
    },
  );
}
