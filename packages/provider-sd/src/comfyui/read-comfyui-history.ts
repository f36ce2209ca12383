import type { ProviderError } from '@layerloom/core';
import {
  createComfyUIExecutionError,
  createComfyUIInterruptedError,
} from './create-comfyui-execution-error.js';

/** An output file of a ComfyUI node, as `GET /view` takes it. */
export interface ComfyUIOutputImage {
  /** File name. */
  readonly filename: string;
  /** Sub-folder, `''` for none. */
  readonly subfolder: string;
  /** `output`, `temp` or `input`. */
  readonly type: string;
}

/** Output images by node id, in the order the nodes reported them. */
export type ComfyUIOutputs = ReadonlyMap<string, readonly ComfyUIOutputImage[]>;

/** The state of one prompt in `GET /history/{id}`. */
export type ComfyUIHistoryState =
  | { readonly state: 'pending' }
  | { readonly state: 'done'; readonly outputs: ComfyUIOutputs }
  | { readonly state: 'failed'; readonly error: ProviderError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The images of one node's output (`{ images: [{ filename, subfolder, type }] }`).
 *
 * @param output - an `executed` message's `output`, or a history `outputs` entry.
 */
export function readOutputImages(output: unknown): ComfyUIOutputImage[] {
  if (!isRecord(output) || !Array.isArray(output.images)) return [];
  return output.images.filter(isRecord).flatMap((image) =>
    typeof image.filename === 'string' && image.filename !== ''
      ? [
          {
            filename: image.filename,
            subfolder: typeof image.subfolder === 'string' ? image.subfolder : '',
            type: typeof image.type === 'string' && image.type !== '' ? image.type : 'output',
          },
        ]
      : [],
  );
}

/**
 * Reads `GET /history/{id}`: `{}` while the prompt is queued or running; then its outputs, or
 * the error its `status.messages` record.
 *
 * @param body - the parsed answer.
 * @param promptId - the prompt's id.
 * @param provider - provider id, for errors.
 */
export function readComfyUIHistory(
  body: unknown,
  promptId: string,
  provider: string,
): ComfyUIHistoryState {
  if (!isRecord(body)) return { state: 'pending' };
  const entry = body[promptId];
  if (!isRecord(entry)) return { state: 'pending' };
  const status = isRecord(entry.status) ? entry.status : undefined;
  if (status?.status_str === 'error') {
    const messages = Array.isArray(status.messages) ? status.messages : [];
    for (const message of messages) {
      if (!Array.isArray(message) || !isRecord(message[1])) continue;
      if (message[0] === 'execution_error') {
        return {
          state: 'failed',
          error: createComfyUIExecutionError(message[1], provider, promptId),
        };
      }
      if (message[0] === 'execution_interrupted') {
        return {
          state: 'failed',
          error: createComfyUIInterruptedError(message[1], provider, promptId),
        };
      }
    }
    return {
      state: 'failed',
      error: createComfyUIExecutionError(
        { exception_message: 'the history records an error' },
        provider,
        promptId,
      ),
    };
  }
  if (status !== undefined && status.completed === false && status.status_str !== 'success') {
    return { state: 'pending' };
  }
  const outputs = new Map<string, ComfyUIOutputImage[]>();
  if (isRecord(entry.outputs)) {
    for (const [node, output] of Object.entries(entry.outputs)) {
      const images = readOutputImages(output);
      if (images.length > 0) outputs.set(node, images);
    }
  }
  return { state: 'done', outputs };
}
