import { AbortError, type EncodedImage } from '@layerloom/core';
import { WebSocket } from 'ws';
import { createEventQueue } from '../shared/create-event-queue.js';
import { parseComfyUIBinaryFrame } from './parse-comfyui-binary-frame.js';

/** Something that arrived on ComfyUI's WebSocket, or its end. */
export type ComfyUISocketEvent =
  | {
      /** A JSON message `{ type, data }`. */
      readonly kind: 'message';
      /** Message type, e.g. `progress`, `executed`. */
      readonly type: string;
      /** Its data. */
      readonly data: Readonly<Record<string, unknown>>;
    }
  | {
      /** A binary preview frame. */
      readonly kind: 'preview';
      /** The preview image. */
      readonly image: EncodedImage;
      /** Its prompt, when the frame names one. */
      readonly promptId?: string;
      /**
       * A type-4 frame (preview with metadata, sent once the client announced
       * `supports_preview_metadata`); `false` for a plain type-1 image frame, which is also how
       * a `SaveImageWebsocket` node sends its result.
       */
      readonly tagged: boolean;
    }
  | {
      /** The socket closed or failed; no more events follow. */
      readonly kind: 'closed';
      /** Why, for messages. */
      readonly reason: string;
    };

/** An open ComfyUI WebSocket. */
export interface ComfyUISocket {
  /**
   * The next event, in arrival order (events are buffered from the moment the socket opened).
   *
   * @param signal - rejects the wait with the signal's reason when aborted.
   */
  next(signal: AbortSignal): Promise<ComfyUISocketEvent>;
  /** Closes the connection at once. */
  close(): void;
}

/**
 * The first message a client sends: its feature flags. `supports_preview_metadata` makes
 * ComfyUI send sampler previews as type-4 frames that name their prompt (and no untagged
 * copies), so previews of other clients' prompts can be told apart.
 */
export const comfyUIClientFeatureFlags = {
  type: 'feature_flags',
  data: { supports_preview_metadata: true },
} as const;

/** Options of {@link openComfyUISocket}. */
export interface OpenComfyUISocketOptions {
  /** `ws(s)://host/ws?clientId=…`. */
  readonly url: URL;
  /** Headers for the upgrade request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Limit for the handshake, in milliseconds. */
  readonly handshakeTimeoutMs: number;
  /** Aborts the handshake. */
  readonly signal: AbortSignal;
}

const ignore = () => {};

/**
 * Opens ComfyUI's WebSocket, announces the client's feature flags
 * ({@link comfyUIClientFeatureFlags}) and buffers what arrives: JSON messages, binary previews,
 * and a final `closed` event.
 *
 * @param options - URL, headers, handshake limit and signal.
 * @returns the open socket.
 * @throws AbortError when aborted; the `ws` error when the handshake fails.
 */
export async function openComfyUISocket(options: OpenComfyUISocketOptions): Promise<ComfyUISocket> {
  options.signal.throwIfAborted();
  const queue = createEventQueue<ComfyUISocketEvent>();
  const socket = new WebSocket(options.url, {
    headers: { ...options.headers },
    handshakeTimeout: options.handshakeTimeoutMs,
  });
  let closed = false;
  const end = (reason: string) => {
    if (closed) return;
    closed = true;
    queue.push({ kind: 'closed', reason });
  };

  // Listen before the handshake ends, so no early frame is missed.
  socket.on('message', (data, isBinary) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : data;
    // A plain view, so that images sliced from it are plain `Uint8Array`s, not Buffers.
    const bytes =
      buffer instanceof ArrayBuffer
        ? new Uint8Array(buffer)
        : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (isBinary) {
      const preview = parseComfyUIBinaryFrame(bytes);
      if (preview !== undefined) queue.push({ kind: 'preview', ...preview });
      return;
    }
    try {
      const message: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (message === null || typeof message !== 'object') return;
      const { type, data: payload } = message as { type?: unknown; data?: unknown };
      if (typeof type !== 'string') return;
      queue.push({
        kind: 'message',
        type,
        data:
          payload !== null && typeof payload === 'object'
            ? (payload as Record<string, unknown>)
            : {},
      });
    } catch {
      // A frame that is not JSON carries nothing we use.
    }
  });
  socket.on('error', (error) => end(`WebSocket error: ${error.message}`));
  socket.on('close', (code) => end(`the WebSocket closed (code ${code})`));

  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      cleanup();
      socket.on('error', ignore);
      socket.terminate();
      reject(AbortError.fromSignal(options.signal, 'Opening the ComfyUI WebSocket'));
    };
    const onOpen = () => {
      cleanup();
      socket.send(JSON.stringify(comfyUIClientFeatureFlags));
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      socket.on('error', ignore);
      socket.terminate();
      reject(error);
    };
    const cleanup = () => {
      options.signal.removeEventListener('abort', onAbort);
      socket.off('open', onOpen);
      socket.off('error', onError);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('open', onOpen);
    socket.once('error', onError);
  });

  return {
    next: (signal) => queue.next(signal),
    close() {
      closed = true;
      socket.removeAllListeners('message');
      socket.on('error', ignore);
      socket.terminate();
    },
  };
}
