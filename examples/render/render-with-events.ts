/**
 * Renders a three-layer composition with progress events, offline: mock providers stand in for
 * the image services (one paints cut-outs natively, one needs a chroma key), the real compositor
 * blends them, and the offline preview provider runs a visible style pass.
 *
 * Run: `npx tsx examples/render/render-with-events.ts` — writes `out/render/knight.png` and
 * prints each event. See docs/rendering.md for the walk-through.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompositor } from '@layerloom/compositor';
import {
  createLoom,
  createPreviewProvider,
  encodePng,
  type ImageRequest,
  type RenderEvent,
  type RenderResult,
} from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';

/** The composition, as `.loom` text: first line on top. */
export const knightScene = `
size 256x192
seed 42
background #f4efe6

| hero: a knight in silver armour @people {x: 40%, y: 20%, w: 40%, h: 80%}
| dog: a corgi @pets {x: 10%, y: 60%, w: 30%, h: 40%}
| scene: misty forest at dawn @scenes
— style: watercolour, soft light @styler {strength: 0.35}
`;

/**
 * What a model without transparency delivers when asked for a plain key-colour background: the
 * subject (an orange disc) on pure green. The compositor keys the green out.
 */
function onGreenScreen(request: ImageRequest) {
  const { width, height } = request;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) * 0.4;
      data.set(inside ? [230, 140, 60, 255] : [0, 255, 0, 255], (y * width + x) * 4);
    }
  }
  return { bytes: encodePng({ width, height, data }), mediaType: 'image/png' };
}

/** Describes an event in one line, the way a progress display would. */
export function describeEvent(event: RenderEvent): string {
  const at = `${String(Math.round(event.elapsedMs)).padStart(4)} ms`;
  switch (event.type) {
    case 'plan':
      return `${at} plan: ${event.plan.steps.length} calls, about $${event.plan.estimatedCostUsd.toFixed(2)}`;
    case 'layer:queued':
      return `${at} ${event.layerId} queued at @${event.provider} (${event.position} ahead)`;
    case 'layer:start':
      return `${at} ${event.layerId} painting (attempt ${event.attempt})`;
    case 'layer:progress':
      return `${at} ${event.layerId} ${Math.round((event.fraction ?? 0) * 100)}%`;
    case 'layer:retry':
      return `${at} ${event.layerId} retry in ${event.delayMs} ms: ${event.reason}`;
    case 'layer:done':
      return `${at} ${event.layerId} done by @${event.record.provider}${event.record.cached ? ' (cached)' : ''}`;
    case 'layer:error':
      return `${at} ${event.layerId} failed on @${event.provider}: ${event.error.message} (${event.outcome})`;
    case 'composite:done':
      return `${at} composited in ${Math.round(event.ms)} ms`;
    case 'done':
      return `${at} done, $${event.result.costUsd.toFixed(2)}`;
    default:
      return `${at} ${event.type}`;
  }
}

/**
 * Renders {@link knightScene} and writes the picture.
 *
 * @param directory - where `knight.png` goes.
 * @param onEvent - receives every event.
 * @returns the render and the path written.
 */
export async function renderWithEvents(
  directory: string,
  onEvent: (event: RenderEvent) => void = () => {},
): Promise<{ result: RenderResult; path: string }> {
  const loom = createLoom({
    providers: {
      people: createMockProvider({ id: 'people', latencyMs: 40, progressSteps: 2, costUsd: 0.04 }),
      pets: createMockProvider({
        id: 'pets',
        latencyMs: 30,
        capabilities: { transparency: false },
        image: onGreenScreen,
      }),
      scenes: createMockProvider({ id: 'scenes', latencyMs: 20, costUsd: 0.02 }),
      styler: createPreviewProvider({ latencyMs: 20 }),
    },
    compositor: createCompositor(),
    limits: { people: { concurrency: 2 } },
  });
  const result = await loom.render(knightScene, { onEvent });
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'knight.png');
  await writeFile(path, result.image.bytes);
  return { result, path };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { result, path } = await renderWithEvents(join('out', 'render'), (event) =>
    console.log(describeEvent(event)),
  );
  for (const layer of result.layers) {
    console.log(
      `${layer.id}: @${layer.provider} seed ${layer.seed} ${layer.ms} ms ${layer.warnings.join('; ')}`,
    );
  }
  console.log(`wrote ${path}`);
}
