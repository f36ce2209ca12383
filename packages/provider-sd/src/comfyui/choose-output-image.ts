import type { ComfyUIOutputImage, ComfyUIOutputs } from './read-comfyui-history.js';

/**
 * Picks the result among a prompt's output images: the first image of the mapped output node;
 * without one, the first saved image (`type: output`), else the first image at all.
 *
 * @param outputs - output images by node id, in report order.
 * @param outputNode - the mapped output node, when there is one.
 */
export function chooseOutputImage(
  outputs: ComfyUIOutputs,
  outputNode: string | undefined,
): ComfyUIOutputImage | undefined {
  if (outputNode !== undefined) return outputs.get(outputNode)?.[0];
  const all = [...outputs.values()].flat();
  return all.find((image) => image.type === 'output') ?? all[0];
}
