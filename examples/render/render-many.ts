/**
 * Plans a composition (cost estimate, no call), then renders a batch of variants with
 * `renderMany`: compositions are pulled lazily from a generator, a few at a time, and each
 * outcome — success or failure — arrives as soon as it is ready.
 *
 * Run: `npx tsx examples/render/render-many.ts` — writes `out/render-many/<index>.png`. See
 * docs/rendering.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Composition, createLoom, type RenderPlan } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';

const colours = ['red', 'blue', 'golden', 'black', 'white', 'green'];

/** One variant per colour; the third one names an alias that does not exist. */
export function* variants(): Generator<Composition> {
  for (const [index, colour] of colours.entries()) {
    yield {
      width: 128,
      height: 128,
      seed: 100 + index,
      layers: [
        {
          id: 'hero',
          prompt: `a knight with a ${colour} cloak`,
          provider: index === 2 ? 'peeple' : 'people',
        },
        { id: 'scene', prompt: 'a castle courtyard', provider: 'scenes' },
      ],
    };
  }
}

/** What {@link renderBatch} reports. */
export interface BatchReport {
  /** The plan of the first variant. */
  readonly plan: RenderPlan;
  /** `index: path` or `index: error message`, in completion order. */
  readonly lines: readonly string[];
}

/**
 * Plans the first variant, then renders every variant, two at a time.
 *
 * @param directory - where the pictures go.
 */
export async function renderBatch(directory: string): Promise<BatchReport> {
  const loom = createLoom({
    providers: {
      people: createMockProvider({ id: 'people', latencyMs: 30, costUsd: 0.04 }),
      scenes: createMockProvider({ id: 'scenes', latencyMs: 10, costUsd: 0.02 }),
    },
    compositor: createRecordingCompositor(),
  });

  const plan = await loom.plan(variants().next().value!);

  await mkdir(directory, { recursive: true });
  const lines: string[] = [];
  for await (const item of loom.renderMany(variants(), { concurrency: 2 })) {
    if (item.ok) {
      const path = join(directory, `${item.index}.png`);
      await writeFile(path, item.result.image.bytes);
      lines.push(`${item.index}: ${path} ($${item.result.costUsd.toFixed(2)})`);
    } else {
      lines.push(`${item.index}: ${item.error.message}`);
    }
  }
  return { plan, lines };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { plan, lines } = await renderBatch(join('out', 'render-many'));
  console.log(
    `each variant: ${plan.steps.map((step) => `${step.id}@${step.providers.join('|')}`).join(', ')}, about $${plan.estimatedCostUsd.toFixed(2)}`,
  );
  for (const line of lines) console.log(line);
}
