/**
 * Renders `scene.loom`, which uses the example world pack `@studio/ember-world` (a workspace
 * package in `ember-world/`), and prints what the render took from the pack: the credits to
 * show and every entity and style used. Layers `@A` go to an AUTOMATIC1111 server when
 * `SD_URL` is set (the pack's bindings pick its checkpoint and LoRAs), to a ComfyUI server when
 * `COMFYUI_URL` is set (the same, the LoRAs chained in as `LoraLoader` nodes), or to OpenAI's
 * gpt-image-1 when `OPENAI_API_KEY` is set (the pack's reference images go as edit inputs, its
 * binding sets the quality); else every alias is the offline preview provider.
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
import { createOpenAI } from '@layerloom/provider-openai';
import { createA1111, createComfyUI } from '@layerloom/provider-sd';

const here = dirname(fileURLToPath(import.meta.url));

/** What {@link renderWorldPack} reports. */
export interface WorldPackRender {
  readonly result: RenderResult;
  /** One line per credit and per entity or style used. */
  readonly lines: readonly string[];
}

/** Where {@link renderWorldPack} sends alias `A`: an AUTOMATIC1111 or ComfyUI server, or OpenAI. */
export interface WorldPackServices {
  /** An AUTOMATIC1111 server's URL. */
  readonly sdURL?: string | undefined;
  /** A ComfyUI server's URL. */
  readonly comfyURL?: string | undefined;
  /** OpenAI (gpt-image-1), with a key and an optional base URL. */
  readonly openAI?: { readonly apiKey: string; readonly baseURL?: string | undefined } | undefined;
}

/**
 * Renders the example scene.
 *
 * @param services - where alias `A` goes; the preview provider when neither is given.
 */
export async function renderWorldPack(services: WorldPackServices = {}): Promise<WorldPackRender> {
  const sd = services.sdURL === undefined ? undefined : createA1111({ baseURL: services.sdURL });
  const comfy =
    services.comfyURL === undefined ? undefined : createComfyUI({ baseURL: services.comfyURL });
  const openAI =
    services.openAI === undefined
      ? undefined
      : createOpenAI({
          apiKey: services.openAI.apiKey,
          ...(services.openAI.baseURL === undefined ? {} : { baseURL: services.openAI.baseURL }),
        });
  try {
    const providers: Record<string, Provider> = {
      A: sd?.image() ?? comfy?.image() ?? openAI?.image('gpt-image-1') ?? createPreviewProvider(),
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
    // The loom kept the pack it loaded for the plan: the render does not read or hash it again
    // (unless a file of the pack changed meanwhile).
    const result = await loom.render(text, { packDirectory: here });
    return { result, lines };
  } finally {
    await sd?.close();
    await comfy?.close();
    await openAI?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const apiKey = process.env.OPENAI_API_KEY || undefined;
  const { result, lines } = await renderWorldPack({
    sdURL: process.env.SD_URL || undefined,
    comfyURL: process.env.COMFYUI_URL || undefined,
    openAI:
      apiKey === undefined
        ? undefined
        : { apiKey, baseURL: process.env.OPENAI_BASE_URL || undefined },
  });
  await mkdir('out', { recursive: true });
  await writeFile(join('out', 'world-pack.png'), result.image.bytes);
  for (const line of lines) console.log(line);
  console.log(`wrote out/world-pack.png (${result.image.width}x${result.image.height})`);
}
