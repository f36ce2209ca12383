/**
 * Harmony: layers from different services that look like one picture. Two before/after pairs:
 *
 * 1. From the committed test images (`images/`): a warm subject painted on green (with green
 *    spill in its fringe) over a cold scene. Before: a plain chroma key. After: the refined
 *    matte (`refineEdges`), colour harmony with the scene, a drop shadow and a light wrap.
 * 2. From the offline preview provider through `createLoom`: the same stack rendered without
 *    and with harmony. The second render changes only harmony options, so every layer comes
 *    from the cache: no provider call.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/harmony/harmonize-layers.ts` — writes
 * `out/harmony/test-images.png` and `out/harmony/preview.png` (each before | after; the copies
 * in docs/images/ were made this way).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  compositeRastersSync,
  createCompositor,
  decodeImage,
  encodeImage,
} from '@layerloom/compositor';
import {
  type CompositeInput,
  createLoom,
  createPreviewProvider,
  type Layer,
  memoryCache,
  type Provider,
} from '@layerloom/core';

const images = join(import.meta.dirname, 'images');

/** What {@link harmonyExample} made. */
export interface HarmonyExampleResult {
  /** The before | after sheets it wrote. */
  readonly files: readonly string[];
  /** The composites, before and after harmony (test images, then preview). */
  readonly composites: readonly { readonly before: Uint8Array; readonly after: Uint8Array }[];
  /** Provider calls of the preview renders: the first one, then the harmony re-render. */
  readonly providerCalls: readonly [number, number];
}

/** Before and after side by side, 8 pixels apart, on a dark grey sheet. */
async function sideBySide(before: Uint8Array, after: Uint8Array): Promise<Uint8Array> {
  const [left, right] = [await decodeImage(before), await decodeImage(after)];
  const width = left.width + 8 + right.width;
  const base = { width, height: left.height, data: new Uint8ClampedArray(width * left.height * 4) };
  const sheet = compositeRastersSync(base, [
    { raster: left },
    { raster: right, left: left.width + 8 },
  ]);
  return encodeImage(sheet, { format: 'png' });
}

async function fromTestImages(): Promise<{ before: Uint8Array; after: Uint8Array }> {
  const read = async (name: string) => ({
    bytes: new Uint8Array(await readFile(join(images, name))),
    mediaType: 'image/png',
  });
  const hero = await read('subject-on-green.png');
  const scene = await read('cold-scene.png');
  const heroLayer: Layer = {
    id: 'hero',
    prompt: 'a figure on a plain green background',
    provider: 'P',
    placement: { x: 90, y: 0, width: 160, height: 200 },
    matte: { chromaKey: '#28c846' },
  };
  const input = (heroLayerOf: Layer): CompositeInput => ({
    width: 320,
    height: 200,
    layers: [
      { layer: heroLayerOf, image: hero },
      { layer: { id: 'scene', prompt: 'a cold evening', provider: 'S' }, image: scene },
    ],
  });
  const compositor = createCompositor();
  const before = await compositor.composite(input(heroLayer));
  const after = await compositor.composite(
    input({
      ...heroLayer,
      matte: { chromaKey: '#28c846', refineEdges: true },
      harmonize: { to: 'scene', amount: 0.5 },
      shadow: { angle: 100, distance: 8, blur: 10, opacity: 0.55 },
      lightWrap: { amount: 0.4, radius: 6 },
    }),
  );
  return { before: before.bytes, after: after.bytes };
}

/** A provider that counts its calls. */
function counting(provider: Provider): Provider & { readonly calls: () => number } {
  let calls = 0;
  return {
    ...provider,
    generate: (request) => {
      calls++;
      return provider.generate(request);
    },
    calls: () => calls,
  };
}

const stack = (harmony: string) => `size 480x320
seed 7

| hero: a knight in silver armour @A {x: 150, y: 40, w: 180, h: 260, matte: auto${harmony}}
| scene: misty pine forest at dusk @B
`;

async function fromPreview(): Promise<{
  before: Uint8Array;
  after: Uint8Array;
  calls: [number, number];
}> {
  const people = counting(createPreviewProvider({ id: 'people' }));
  const scenes = counting(createPreviewProvider({ id: 'scenes' }));
  const loom = createLoom({
    providers: { A: people, B: scenes },
    compositor: createCompositor(),
    cache: memoryCache(),
  });
  const before = await loom.render(stack(''));
  const first = people.calls() + scenes.calls();
  const after = await loom.render(
    stack(
      ', harmonize: scene amount 0.8, shadow: angle 110 distance 10 blur 12 opacity 50%, wrap: amount 0.35',
    ),
  );
  return {
    before: before.image.bytes,
    after: after.image.bytes,
    calls: [first, people.calls() + scenes.calls() - first],
  };
}

/**
 * Renders both before/after pairs and writes them as sheets into `directory`.
 *
 * @param directory - where the sheets go.
 * @returns the files, the composites and the provider calls of the preview renders.
 */
export async function harmonyExample(directory: string): Promise<HarmonyExampleResult> {
  await mkdir(directory, { recursive: true });
  const testImages = await fromTestImages();
  const preview = await fromPreview();
  const files = [join(directory, 'test-images.png'), join(directory, 'preview.png')];
  await writeFile(files[0]!, await sideBySide(testImages.before, testImages.after));
  await writeFile(files[1]!, await sideBySide(preview.before, preview.after));
  return {
    files,
    composites: [testImages, { before: preview.before, after: preview.after }],
    providerCalls: preview.calls,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await harmonyExample(join(process.cwd(), 'out', 'harmony'));
  console.log(`wrote ${result.files.join(' and ')}`);
  console.log(
    `provider calls: ${result.providerCalls[0]} for the first render, ${result.providerCalls[1]} for the harmony re-render`,
  );
}
