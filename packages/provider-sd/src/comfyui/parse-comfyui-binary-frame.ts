import type { EncodedImage } from '@layerloom/core';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';

/** A preview image sent as a binary WebSocket frame. */
export interface ComfyUIPreviewFrame {
  /** The preview image. */
  readonly image: EncodedImage;
  /** The prompt it belongs to, when the frame says (type 4 frames). */
  readonly promptId?: string;
  /** Whether it was a type-4 frame (preview with metadata). */
  readonly tagged: boolean;
}

const previewImage = 1;
const previewImageWithMetadata = 4;

/**
 * Reads a binary frame of ComfyUI's WebSocket: a 4-byte big-endian event type, then the
 * payload. Type 1 is a preview (a 4-byte image format, 1 = JPEG and 2 = PNG, then the image);
 * type 4 is a preview with metadata (a 4-byte length, that much JSON, then the image). Other
 * types, and frames whose image bytes are not a known format, give `undefined`.
 *
 * @param frame - the frame's bytes.
 */
export function parseComfyUIBinaryFrame(frame: Uint8Array): ComfyUIPreviewFrame | undefined {
  if (frame.byteLength < 8) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const type = view.getUint32(0);
  if (type === previewImage) {
    const bytes = frame.slice(8);
    const mediaType = detectImageMediaType(bytes);
    return mediaType === undefined ? undefined : { image: { bytes, mediaType }, tagged: false };
  }
  if (type === previewImageWithMetadata) {
    const length = view.getUint32(4);
    if (8 + length > frame.byteLength) return undefined;
    let promptId: string | undefined;
    try {
      const metadata: unknown = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + length)));
      const id = (metadata as { prompt_id?: unknown } | null)?.prompt_id;
      if (typeof id === 'string') promptId = id;
    } catch {
      return undefined;
    }
    const bytes = frame.slice(8 + length);
    const mediaType = detectImageMediaType(bytes);
    if (mediaType === undefined) return undefined;
    return {
      image: { bytes, mediaType },
      tagged: true,
      ...(promptId === undefined ? {} : { promptId }),
    };
  }
  return undefined;
}
