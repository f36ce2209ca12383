/**
 * Renders `scene.loom`, which uses the example world pack `@studio/ember-world` (a workspace
 * package in `ember-world/`), and prints what the render took from the pack: the credits to
 * show and every entity and style used. Layers `@A` go to an AUTOMATIC1111 server when
 * `SD_URL` is set (the pack's bindings pick its checkpoint and LoRAs), else every alias is the
 * offline preview provider.
 *
 * Run: `npx tsx examples/world-pack/render-world-pack.ts` — writes `out/world-pack.png`. See
 * docs/world-packs.md.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCompositor } from '@layerloom/compositor';
import {
  createLoom,
  createPreviewProvider,
  type Provider,
  type RenderResult,
} from '@layerloom/core';
import { createA1111 } from '@layerloom/provider-sd';

const here = dirname(fileURLToPath(import.meta.url));

/** What {@link renderWorldPack} reports. */
export interface WorldPackRender {
  readonly result: RenderResult;
  /** One line per credit and per entity or style used. */
  readonly lines: readonly string[];
}

/**
 * Renders the example scene.
 *
 * @param sdURL - an AUTOMATIC1111 server for alias `A`, or `undefined` for the preview.
 */
export async function renderWorldPack(sdURL: string | undefined): Promise<WorldPackRender> {
  const sd = sdURL === undefined ? undefined : createA1111({ baseURL: sdURL });
  try {
    const providers: Record<string, Provider> = {
      A: sd?.image() ?? createPreviewProvider(),
      B: createPreviewProvider(),
      Z: createPreviewProvider(),
    };
    const loom = createLoom({ providers, compositor: createCompositor() });
    const text = await readFile(join(here, 'scene.loom'), 'utf8');
    // `use` lines resolve from the .loom file's folder: node_modules is searched from there up.
    const plan = await loom.plan(text, { packDirectory: here });
    const lines = (plan.packs ?? []).map(
      (pack) => `credit: ${pack.attribution} — ${pack.name}@${pack.version}, ${pack.license}`,
    );
    for (const use of plan.packUsage ?? []) {
      lines.push(
        `uses ${use.kind} ${use.id} of ${use.pack}@${use.version} in ${use.steps.join(', ')}`,
      );
    }
    const result = await loom.render(text, { packDirectory: here });
    return { result, lines };
  } finally {
    await sd?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { result, lines } = await renderWorldPack(process.env.SD_URL || undefined);
  await mkdir('out', { recursive: true });
  await writeFile(join('out', 'world-pack.png'), result.image.bytes);
  for (const line of lines) console.log(line);
  console.log(`wrote out/world-pack.png (${result.image.width}x${result.image.height})`);
}
