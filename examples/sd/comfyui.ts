/**
 * Paints one picture with ComfyUI using the shipped SDXL text-to-image workflow, then repaints
 * it with the shipped image-to-image workflow, printing progress (and preview sizes) as it goes.
 *
 *   COMFYUI_URL=http://127.0.0.1:8188 npx tsx examples/sd/comfyui.ts
 *
 * Optional: COMFYUI_CHECKPOINT (default sd_xl_base_1.0.safetensors, as in the workflow),
 * COMFYUI_OUTPUT (default out/sd-comfyui.png; the repainted one gets `-restyled`).
 * Without COMFYUI_URL it explains what it needs and exits with status 0.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ImageProgress } from '@layerloom/core';
import { createComfyUI } from '@layerloom/provider-sd';

const baseURL = process.env.COMFYUI_URL;
if (baseURL === undefined || baseURL === '') {
  console.log(
    'examples/sd/comfyui.ts needs a running ComfyUI server and does nothing without one. Set COMFYUI_URL, e.g. COMFYUI_URL=http://127.0.0.1:8188.',
  );
  process.exit(0);
}

const comfy = createComfyUI({ baseURL });
const provider = comfy.image(process.env.COMFYUI_CHECKPOINT || undefined, { steps: 25 });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort()); // Ctrl+C interrupts the prompt on the server too

const onProgress = ({ fraction, preview }: ImageProgress) => {
  if (preview !== undefined) console.log(`preview ${preview.bytes.byteLength} bytes`);
  else if (fraction !== undefined) console.log(`progress ${Math.round(fraction * 100)}%`);
};

try {
  const painted = await provider.generate({
    prompt: 'a red fox in fresh snow, morning light',
    negativePrompt: 'blurry, text',
    width: 1024,
    height: 768,
    signal: controller.signal,
    onProgress,
  });
  const output = process.env.COMFYUI_OUTPUT || 'out/sd-comfyui.png';
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, painted.image.bytes);
  console.log(`wrote ${output} (seed ${painted.seed}, prompt ${painted.requestId})`);

  const restyled = await provider.generate({
    prompt: 'a red fox in fresh snow, watercolour',
    width: 1024,
    height: 768,
    image: painted.image,
    strength: 0.45,
    seed: painted.seed,
    signal: controller.signal,
    onProgress,
  });
  const restyledOutput = output.replace(/(\.\w+)?$/, '-restyled$1');
  await writeFile(restyledOutput, restyled.image.bytes);
  console.log(`wrote ${restyledOutput}`);
  for (const warning of [...painted.warnings, ...restyled.warnings])
    console.log(`warning: ${warning}`);
} finally {
  await comfy.close();
}
