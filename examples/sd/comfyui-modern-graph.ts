/**
 * Paints with your own modern ComfyUI graph — Flux or SD3.5 with SamplerCustomAdvanced,
 * RandomNoise, a guider and EmptySD3LatentImage — without writing a node mapping: the adapter
 * infers where the prompt, seed and size go, prints what it found, and gets the image back over
 * the WebSocket (`output: 'websocket'` swaps the SaveImage for a SaveImageWebsocket, so nothing
 * is written to the server's disk). Progress runs once across all samplers.
 *
 *   COMFYUI_URL=http://127.0.0.1:8188 COMFYUI_WORKFLOW=flux.json npx tsx examples/sd/comfyui-modern-graph.ts
 *
 * COMFYUI_WORKFLOW is a graph saved with "Save (API Format)" (default: the Flux dev test graph
 * in packages/provider-sd/test/graphs/). COMFYUI_OUTPUT: where to write the image (default
 * out/sd-comfyui-modern.png). Without COMFYUI_URL it explains what it needs and exits 0.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createComfyUI, inferNodeMapping } from '@layerloom/provider-sd';

const baseURL = process.env.COMFYUI_URL;
if (baseURL === undefined || baseURL === '') {
  console.log(
    'examples/sd/comfyui-modern-graph.ts needs a running ComfyUI server and does nothing without one. Set COMFYUI_URL, e.g. COMFYUI_URL=http://127.0.0.1:8188.',
  );
  process.exit(0);
}

const workflowPath =
  process.env.COMFYUI_WORKFLOW ||
  join(import.meta.dirname, '../../packages/provider-sd/test/graphs/flux-dev-custom-advanced.json');
const workflow = JSON.parse(readFileSync(workflowPath, 'utf8'));
const inferred = inferNodeMapping(workflow);
console.log(`mapping: ${JSON.stringify(inferred.mapping ?? inferred.problem)}`);

const comfy = createComfyUI({ baseURL, workflow, output: 'websocket' });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
try {
  const result = await comfy.image().generate({
    prompt: 'a lighthouse on a cliff at dusk, film photo',
    width: 1024,
    height: 768,
    seed: 42,
    signal: controller.signal,
    onProgress: ({ fraction }) => {
      if (fraction !== undefined) console.log(`progress ${Math.round(fraction * 100)}%`);
    },
  });
  const output = process.env.COMFYUI_OUTPUT || 'out/sd-comfyui-modern.png';
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, result.image.bytes);
  console.log(
    `wrote ${output} (prompt ${result.requestId}, via ${JSON.stringify(result.providerMetadata?.output)})`,
  );
  for (const warning of result.warnings) console.log(`warning: ${warning}`);
} finally {
  await comfy.close();
}
