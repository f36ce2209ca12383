import type { ImageLayerMask } from '@layerloom/core';
import sharp from 'sharp';
import { decodeImage } from '../codec/decode-image.js';
import { intersect, type Rectangle } from '../placement/rectangle.js';
import { boxRadii, featherMask } from './feather-mask.js';

/**
 * Reads a mask image, resized to the placement box: its luminance (Rec. 709 weights on the
 * sRGB values, times its alpha, as CSS luminance masks do) or its alpha, feathered and
 * inverted as asked, over `region` (coordinates relative to the box).
 *
 * @param mask - the mask.
 * @param box - size of the placement box.
 * @param region - the part of the box to produce.
 * @param maxPixels - decoding limit for the mask image.
 * @returns one byte per pixel of `region`.
 */
export async function imageMask(
  mask: ImageLayerMask,
  box: { readonly width: number; readonly height: number },
  region: Rectangle,
  maxPixels: number,
): Promise<Uint8Array> {
  const raster = await decodeImage(mask.image.bytes, { maxPixels });
  const feather = mask.feather ?? 0;
  // The blur reaches this far: compute that much around the region, so its edges are exact.
  const margin =
    feather === 0 ? 0 : boxRadii(feather / 2).reduce((sum, radius) => sum + Math.round(radius), 0);
  const padded = intersect(
    {
      left: region.left - margin,
      top: region.top - margin,
      width: region.width + 2 * margin,
      height: region.height + 2 * margin,
    },
    { left: 0, top: 0, width: box.width, height: box.height },
  );
  let pipeline = sharp(
    Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength),
    { raw: { width: raster.width, height: raster.height, channels: 4 } },
  );
  if (raster.width !== box.width || raster.height !== box.height) {
    pipeline = pipeline.resize(box.width, box.height, { fit: 'fill' });
  }
  if (padded.width !== box.width || padded.height !== box.height)
    pipeline = pipeline.extract(padded);
  const { data } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const channel = mask.channel ?? 'luminance';
  let values: Uint8Array = new Uint8Array(padded.width * padded.height);
  for (let index = 0; index < values.length; index++) {
    const alpha = data[index * 4 + 3]!;
    values[index] =
      channel === 'alpha'
        ? alpha
        : Math.round(
            ((0.2126 * data[index * 4]! +
              0.7152 * data[index * 4 + 1]! +
              0.0722 * data[index * 4 + 2]!) *
              alpha) /
              255,
          );
  }
  if (feather > 0) values = featherMask(values, padded.width, padded.height, feather);
  const output = new Uint8Array(region.width * region.height);
  const invert = mask.invert ?? false;
  for (let row = 0; row < region.height; row++) {
    const from = (region.top - padded.top + row) * padded.width + (region.left - padded.left);
    for (let column = 0; column < region.width; column++) {
      const value = values[from + column]!;
      output[row * region.width + column] = invert ? 255 - value : value;
    }
  }
  return output;
}
