import { LayerloomError } from '@layerloom/core';

/** The encoder failed on a valid raster (a limit of the format, such as WebP's 16383 pixels). */
export class ImageEncodeError extends LayerloomError {
  /** The format that was asked for. */
  readonly format: string;

  /**
   * @param message - what failed.
   * @param format - the format asked for.
   * @param options - `cause` from the encoder.
   */
  constructor(message: string, format: string, options: { readonly cause?: unknown } = {}) {
    super('image_encode_error', message, options);
    this.name = 'ImageEncodeError';
    this.format = format;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), format: this.format };
  }
}
