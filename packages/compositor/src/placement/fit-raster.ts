import sharp from 'sharp';
import type { Raster } from '../raster.js';
import type { Rectangle } from './rectangle.js';

/**
 * Resamples `raster` to the `fitted` size with sharp (Lanczos 3, on premultiplied alpha) and
 * keeps only the `visible` part (canvas coordinates, inside `fitted`). Only the visible part is
 * computed, so a huge box hanging off the canvas costs no more than what shows.
 *
 * @param raster - the layer image.
 * @param fitted - the image's size and position on the canvas after fitting.
 * @param visible - the part to keep, non-empty.
 * @returns a raster of the visible part's size (`raster` itself when nothing changes).
 */
export async function fitRaster(
  raster: Raster,
  fitted: Rectangle,
  visible: Rectangle,
): Promise<Raster> {
  const sameSize = fitted.width === raster.width && fitted.height === raster.height;
  const whole =
    visible.left === fitted.left &&
    visible.top === fitted.top &&
    visible.width === fitted.width &&
    visible.height === fitted.height;
  if (sameSize && whole) return raster;
  let pipeline = sharp(
    Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength),
    { raw: { width: raster.width, height: raster.height, channels: 4 } },
  );
  if (!sameSize) pipeline = pipeline.resize(fitted.width, fitted.height, { fit: 'fill' });
  if (!whole) {
    pipeline = pipeline.extract({
      left: visible.left - fitted.left,
      top: visible.top - fitted.top,
      width: visible.width,
      height: visible.height,
    });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}
