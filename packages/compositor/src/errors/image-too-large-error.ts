import { LayerloomError } from '@layerloom/core';

/** An image's header declares more pixels than allowed; nothing was decoded or allocated. */
export class ImageTooLargeError extends LayerloomError {
  /** Width declared by the header. */
  readonly width: number;
  /** Height declared by the header. */
  readonly height: number;
  /** The limit in force, in pixels. */
  readonly maxPixels: number;

  /**
   * @param width - width declared by the header.
   * @param height - height declared by the header.
   * @param maxPixels - the limit in force.
   */
  constructor(width: number, height: number, maxPixels: number) {
    super(
      'image_too_large',
      `Expected an image of at most ${maxPixels} pixels, got ${width} × ${height} = ${width * height}`,
    );
    this.name = 'ImageTooLargeError';
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), width: this.width, height: this.height, maxPixels: this.maxPixels };
  }
}
