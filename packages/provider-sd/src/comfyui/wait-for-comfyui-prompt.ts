import { setTimeout as sleep } from 'node:timers/promises';
import type { EncodedImage } from '@layerloom/core';
import { type ImageProgress, ProviderError } from '@layerloom/core';
import type { HttpClient } from '@layerloom/core/http';
import {
  createComfyUIExecutionError,
  createComfyUIInterruptedError,
} from './create-comfyui-execution-error.js';
import type { ComfyUISocket } from './open-comfyui-socket.js';
import {
  type ComfyUIOutputImage,
  type ComfyUIOutputs,
  readComfyUIHistory,
  readOutputImages,
} from './read-comfyui-history.js';
import { createComfyUIProgressTracker } from './track-comfyui-progress.js';

/** Options of {@link waitForComfyUIPrompt}. */
export interface WaitForComfyUIPromptOptions {
  /** The server's client. */
  readonly http: HttpClient;
  /** Provider id, for errors. */
  readonly provider: string;
  /** The prompt to wait for. */
  readonly promptId: string;
  /** The socket opened with the prompt's `client_id`; `undefined` to poll the history only. */
  readonly socket: ComfyUISocket | undefined;
  /** The node whose images are wanted, when known. */
  readonly outputNode: string | undefined;
  /** Pause between two `GET /history/{id}` polls, in milliseconds. */
  readonly historyIntervalMs: number;
  /** Ends the wait (abort or deadline). */
  readonly signal: AbortSignal;
  /** Receives progress and previews from the socket. */
  readonly onProgress: ((progress: ImageProgress) => void) | undefined;
  /** Sampler nodes in the submitted graph, so that progress runs once across all of them. */
  readonly samplerCount: number;
  /**
   * A `SaveImageWebsocket` node whose result arrives as an untagged binary frame while it
   * executes (nothing is written to the server's disk).
   */
  readonly websocketOutputNode?: string | undefined;
}

/** How a prompt ended. */
export interface ComfyUIPromptOutcome {
  /** Output images by node id. */
  readonly outputs: ComfyUIOutputs;
  /** Nodes ComfyUI took from its cache instead of running. */
  readonly cachedNodes: readonly string[];
  /** Where the outcome was read: the socket, or the history (socket missing or dropped). */
  readonly via: 'socket' | 'history';
  /** Why the socket could not be followed to the end, when it could not. */
  readonly socketProblem?: string;
  /** Images the `SaveImageWebsocket` output node sent over the socket, in order. */
  readonly websocketImages: readonly EncodedImage[];
}

function report(
  onProgress: WaitForComfyUIPromptOptions['onProgress'],
  progress: ImageProgress,
): void {
  try {
    onProgress?.(progress);
  } catch {
    // A failing progress callback must not break the call it observes.
  }
}

/**
 * Waits for a queued prompt to finish. Follows the WebSocket (`progress_state` — or the legacy
 * `progress` — through a tracker that does not reset at a second sampler, previews,
 * `executed`, `execution_cached`, `execution_error`, `execution_interrupted`, and `executing`
 * with `node: null` or `execution_success` as the end); when the socket is missing or drops,
 * or when the wanted output was cached (no `executed` message), polls `GET /history/{id}`
 * until the prompt appears there.
 *
 * @param options - client, prompt, socket, signal and callbacks.
 * @throws ProviderError for execution errors and interruptions by others; the signal's reason
 *   when it aborts.
 */
export async function waitForComfyUIPrompt(
  options: WaitForComfyUIPromptOptions,
): Promise<ComfyUIPromptOutcome> {
  const { promptId, signal } = options;
  const outputs = new Map<string, ComfyUIOutputImage[]>();
  const cachedNodes: string[] = [];
  let socketProblem: string | undefined = options.socket === undefined ? 'no WebSocket' : undefined;
  let finished = false;
  let fraction: number | undefined;
  let currentNode: unknown;
  const websocketImages: EncodedImage[] = [];
  const tracker = createComfyUIProgressTracker(options.samplerCount);
  const reportFraction = (next: number | undefined) => {
    if (next === undefined) return;
    fraction = next;
    report(options.onProgress, { fraction });
  };

  while (options.socket !== undefined && !finished) {
    const event = await options.socket.next(signal);
    if (event.kind === 'closed') {
      socketProblem = event.reason;
      break;
    }
    if (event.kind === 'preview') {
      if (
        !event.tagged &&
        options.websocketOutputNode !== undefined &&
        currentNode === options.websocketOutputNode
      ) {
        websocketImages.push(event.image);
        continue;
      }
      if (event.promptId !== undefined && event.promptId !== promptId) continue;
      report(options.onProgress, {
        ...(fraction === undefined ? {} : { fraction }),
        preview: event.image,
      });
      continue;
    }
    const { type, data } = event;
    if (data.prompt_id !== promptId) continue;
    switch (type) {
      case 'progress_state':
        reportFraction(tracker.progressState(data.nodes));
        break;
      case 'progress':
        reportFraction(tracker.progress(data.node, data.value, data.max));
        break;
      case 'executed': {
        const images = readOutputImages(data.output);
        if (typeof data.node === 'string' && images.length > 0) {
          outputs.set(data.node, [...(outputs.get(data.node) ?? []), ...images]);
        }
        break;
      }
      case 'execution_cached':
        if (Array.isArray(data.nodes)) {
          cachedNodes.push(
            ...data.nodes.filter((node): node is string => typeof node === 'string'),
          );
        }
        break;
      case 'execution_error':
        throw createComfyUIExecutionError(data, options.provider, promptId);
      case 'execution_interrupted':
        throw createComfyUIInterruptedError(data, options.provider, promptId);
      case 'executing':
        currentNode = data.node;
        if (data.node === null) finished = true;
        break;
      case 'execution_success':
        finished = true;
        break;
    }
  }

  const wanted = options.outputNode;
  const haveImages =
    websocketImages.length > 0 || (wanted === undefined ? outputs.size > 0 : outputs.has(wanted));
  if (finished && haveImages) {
    return { outputs, cachedNodes, via: 'socket', websocketImages };
  }

  // The socket is gone, or the output came from the cache: the history has the outcome.
  // It is written just after the end message, so poll until the prompt appears.
  for (;;) {
    let state: ReturnType<typeof readComfyUIHistory> | undefined;
    try {
      const response = await options.http.request({ path: `/history/${promptId}`, signal });
      state = readComfyUIHistory(response.json(), promptId, options.provider);
    } catch (error) {
      // A server that restarts or drops a connection is waited for until the deadline.
      if (!(error instanceof ProviderError) || !error.retryable || signal.aborted) throw error;
    }
    if (state?.state === 'failed') throw state.error;
    if (state?.state === 'done') {
      const merged = new Map([...outputs, ...state.outputs]);
      return {
        outputs: merged,
        cachedNodes,
        via: finished ? 'socket' : 'history',
        websocketImages,
        ...(socketProblem === undefined ? {} : { socketProblem }),
      };
    }
    await sleep(options.historyIntervalMs, undefined, { signal });
  }
}
