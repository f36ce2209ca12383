/**
 * What the scheduler and the render pipeline add to a batch: `loom.renderMany` of 200
 * compositions (1024², 4 layers of 1024² each, painted by the offline preview provider)
 * against the compositor alone doing the same composites and encodes, in one run.
 *
 * A first `renderMany` paints every layer into a memory cache (the painting is the
 * provider's cost, not the pipeline's). Then, interleaved, twice each: `renderMany` again (every
 * layer a cache hit: the pipeline, scheduling, decoding, compositing, encoding), and the
 * inputs the compositor received during that render replayed straight into
 * `createCompositor().composite()` with the same concurrency (4). The ratio of the medians is
 * the pipeline's overhead.
 *
 * Run: `npm run bench -w @layerloom/compositor -- render-many`. Exits with 1 when `renderMany`
 * takes more than 1.2× the compositor alone (issue 17).
 */
import { createCompositor } from '@layerloom/compositor';
import {
  type CompositeInput,
  type Composition,
  type Compositor,
  createLoom,
  createPreviewProvider,
  memoryCache,
} from '@layerloom/core';

const count = 200;
const concurrency = 4;
const target = 1.2;

const compositor = createCompositor();
let recorded: CompositeInput[] = [];
const recording: Compositor = {
  composite(input, options) {
    recorded.push(input);
    return compositor.composite(input, options);
  },
};
const loom = createLoom({
  providers: { P: createPreviewProvider() },
  compositor: recording,
  cache: memoryCache({ maxBytes: 4 * 1024 * 1024 * 1024 }),
});
const compositions: Composition[] = Array.from({ length: count }, (_, index) => ({
  width: 1024,
  height: 1024,
  background: '#202028',
  seed: index, // seeded, so that the painted layers are cached
  layers: ['a glow', 'a knight', 'a castle', 'an evening sky'].map((prompt, layer) => ({
    id: `layer-${layer}`,
    prompt: `${prompt} ${index}`,
    provider: 'P',
    ...(layer === 0 ? { blend: 'screen' as const, opacity: 0.8 } : {}),
  })),
}));

async function renderAll(): Promise<number> {
  const start = performance.now();
  for await (const item of loom.renderMany(compositions, { concurrency })) {
    if (!item.ok) throw item.error;
  }
  return performance.now() - start;
}

async function compositeAll(inputs: readonly CompositeInput[]): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < inputs.length) await compositor.composite(inputs[next++]!);
    }),
  );
  return performance.now() - start;
}

const warm = await renderAll();
console.log(`\n## renderMany of ${count} compositions, 4 layers of 1024² (preview provider)`);
console.log(`first renderMany, painting every layer: ${warm.toFixed(0)} ms`);
const pipeline: number[] = [];
const alone: number[] = [];
for (let round = 0; round < 2; round++) {
  recorded = [];
  pipeline.push(await renderAll());
  alone.push(await compositeAll(recorded));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const ratio = median(pipeline) / median(alone);
console.log(
  `renderMany (layers from the cache): ${pipeline.map((ms) => ms.toFixed(0)).join(', ')} ms`,
);
console.log(
  `compositor alone, same inputs, concurrency ${concurrency}: ${alone.map((ms) => ms.toFixed(0)).join(', ')} ms`,
);
console.log(
  `renderMany = ${ratio.toFixed(2)}× the compositing and encoding alone (target ≤ ${target}×)`,
);
process.exitCode = ratio <= target ? 0 : 1;
