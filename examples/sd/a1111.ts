/**
 * Paints one picture with an AUTOMATIC1111 or Forge web UI, printing progress as it goes.
 *
 *   SD_URL=http://127.0.0.1:7860 npx tsx examples/sd/a1111.ts
 *
 * Optional: SD_AUTH=user:password (a server started with --api-auth), SD_CHECKPOINT (a title
 * from GET /sdapi/v1/sd-models), SD_OUTPUT (default out/sd-a1111.png).
 * Without SD_URL it explains what it needs and exits with status 0.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createA1111 } from '@layerloom/provider-sd';

const baseURL = process.env.SD_URL;
if (baseURL === undefined || baseURL === '') {
  console.log(
    'examples/sd/a1111.ts needs a running AUTOMATIC1111 or Forge web UI (started with --api) and does nothing without one. Set SD_URL, e.g. SD_URL=http://127.0.0.1:7860.',
  );
  process.exit(0);
}

const forge = createA1111({
  baseURL,
  ...(process.env.SD_AUTH ? { auth: process.env.SD_AUTH } : {}),
  progressIntervalMs: 500,
});
const provider = forge.image(process.env.SD_CHECKPOINT || undefined, {
  sampler: 'DPM++ 2M',
  scheduler: 'karras',
  steps: 25,
  cfgScale: 6,
});

const controller = new AbortController();
process.once('SIGINT', () => controller.abort()); // Ctrl+C interrupts the job on the server too

try {
  const result = await provider.generate({
    prompt: 'a lighthouse on a cliff at dusk, oil painting',
    negativePrompt: 'blurry, text, watermark',
    width: 768,
    height: 512,
    signal: controller.signal,
    onProgress: ({ fraction, etaMs }) => {
      if (fraction === undefined) return;
      const eta = etaMs === undefined ? '' : `, about ${Math.ceil(etaMs / 1000)} s left`;
      console.log(`progress ${Math.round(fraction * 100)}%${eta}`);
    },
  });
  const output = process.env.SD_OUTPUT || 'out/sd-a1111.png';
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, result.image.bytes);
  console.log(`wrote ${output} (seed ${result.seed ?? 'unknown'})`);
  for (const warning of result.warnings) console.log(`warning: ${warning}`);
} finally {
  await forge.close();
}
