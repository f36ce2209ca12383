/**
 * One picture from four hosted services: each layer goes to the service that paints that
 * subject best, and a fifth call gives the whole picture one style.
 *
 *   FAL_KEY=… REPLICATE_API_TOKEN=… GEMINI_API_KEY=… STABILITY_API_KEY=… \
 *     npx tsx --tsconfig tsconfig.json examples/aggregate/four-services.ts [out/four-services.png]
 *
 * - the knight: fal (FLUX.1 dev);
 * - the wolf: Replicate (FLUX.1 schnell);
 * - the lantern: Google (Gemini 2.5 Flash Image);
 * - the forest: Stability AI (Stable Image Core);
 * - the style pass: Stability AI (SD 3.5 Large, image-to-image).
 *
 * None of these services paints transparency on these models, so the planner asks each layer
 * for a plain key-colour background and the compositor keys it out. Without all four keys the
 * script does nothing and says so (exit code 0): it never calls a service without a key. At
 * list prices the render costs about $0.18 (see each docs/providers page).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompositor } from '@layerloom/compositor';
import { createLoom, type RenderEvent, type RenderResult } from '@layerloom/core';
import type { ImageDownloadOptions } from '@layerloom/core/http';
import { createFal } from '@layerloom/provider-fal';
import { createGoogle } from '@layerloom/provider-google';
import { createReplicate } from '@layerloom/provider-replicate';
import { createStability } from '@layerloom/provider-stability';

/** The stack: four layers (first on top) and the style line. */
export const fourServicesNotation = [
  'size 1024x768',
  'seed 42',
  '｜knight: a knight in silver armour, full figure @FAL {w: 40%, h: 80%, x: 8%, y: 15%}',
  '｜wolf: a grey wolf sitting, side view @REP {w: 34%, h: 45%, x: 56%, y: 48%}',
  '｜lantern: a glowing paper lantern @GEM {w: 14%, h: 24%, x: 72%, y: 8%}',
  '｜forest: misty pine forest at dawn @STAB',
  '—style: watercolour, soft morning light @STYLE {strength: 0.35}',
].join('\n');

/** Where each service is and the key it takes. */
export interface ServiceAccess {
  readonly apiKey: string;
  /** Another server speaking the service's API (a proxy, or a test's fake). */
  readonly baseURL?: string;
}

/** The four services, and how output URLs may be downloaded (fal and Replicate answer with URLs). */
export interface FourServices {
  readonly fal: ServiceAccess & { readonly imageDownload?: ImageDownloadOptions };
  readonly replicate: ServiceAccess & { readonly imageDownload?: ImageDownloadOptions };
  readonly google: ServiceAccess;
  readonly stability: ServiceAccess;
}

const at = (access: ServiceAccess) =>
  access.baseURL === undefined
    ? { apiKey: access.apiKey }
    : { apiKey: access.apiKey, baseURL: access.baseURL };

/**
 * Renders {@link fourServicesNotation} with one provider per service.
 *
 * @param services - keys and addresses of the four services.
 * @param onEvent - every render event, in order.
 * @returns the render's result (its manifest names every service and model).
 */
export async function renderWithFourServices(
  services: FourServices,
  onEvent?: (event: RenderEvent) => void,
): Promise<RenderResult> {
  const fal = createFal({
    ...at(services.fal),
    ...(services.fal.imageDownload === undefined
      ? {}
      : { imageDownload: services.fal.imageDownload }),
  });
  const replicate = createReplicate({
    ...at(services.replicate),
    ...(services.replicate.imageDownload === undefined
      ? {}
      : { imageDownload: services.replicate.imageDownload }),
  });
  const google = createGoogle(at(services.google));
  const stability = createStability(at(services.stability));
  try {
    const loom = createLoom({
      providers: {
        FAL: fal.image('fal-ai/flux/dev'),
        REP: replicate.image('black-forest-labs/flux-schnell'),
        GEM: google.image('gemini-2.5-flash-image'),
        STAB: stability.image('stable-image-core'),
        STYLE: stability.image('sd3.5-large'),
      },
      compositor: createCompositor(),
      limits: { FAL: { concurrency: 2 }, REP: { concurrency: 2 } },
    });
    return await loom.render(fourServicesNotation, onEvent === undefined ? {} : { onEvent });
  } finally {
    await Promise.all([fal.close(), replicate.close(), google.close(), stability.close()]);
  }
}

const keyVariables = {
  fal: 'FAL_KEY',
  replicate: 'REPLICATE_API_TOKEN',
  google: 'GEMINI_API_KEY',
  stability: 'STABILITY_API_KEY',
} as const;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const missing = Object.values(keyVariables).filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.log(
      `This example calls four paid services with your keys; set ${missing.join(', ')} and run again.`,
    );
  } else {
    const key = (service: keyof typeof keyVariables) => ({
      apiKey: process.env[keyVariables[service]]!,
    });
    const result = await renderWithFourServices(
      {
        fal: key('fal'),
        replicate: key('replicate'),
        google: key('google'),
        stability: key('stability'),
      },
      (event) => {
        if (event.type === 'layer:done') {
          console.log(`${event.layerId}: ${event.record.providerId}/${event.record.modelId}`);
        }
      },
    );
    const output = process.argv[2] ?? 'out/four-services.png';
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, result.image.bytes);
    console.log(
      `${output}: ${result.image.width}×${result.image.height}, $${result.costUsd.toFixed(3)}`,
    );
  }
}
