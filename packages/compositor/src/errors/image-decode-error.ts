import { LayerloomError } from '@layerloom/core';

/** An image could not be decoded: not PNG, WebP or JPEG, truncated, or corrupt. */
export class ImageDecodeError extends LayerloomError {
  /** The format read from the bytes' header, when one was recognised. */
  readonly format: string | undefined;

  /**
   * @param message - what was expected and what was found.
   * @param options - `format` recognised from the header, `cause` from the decoder.
   */
  constructor(
    message: string,
    options: { readonly format?: string; readonly cause?: unknown } = {},
  ) {
    super('image_decode_error', message, { cause: options.cause });
    this.name = 'ImageDecodeError';
    this.format = options.format;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), format: this.format };
  }
}
