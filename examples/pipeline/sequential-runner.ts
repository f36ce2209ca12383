// A custom runner built from core's pipeline stages (`@layerloom/core/pipeline`): it paints the
// layers one after another, bottom first — say, because one GPU serves every alias — then
// composites, runs the style pass and assembles the same RenderResult a loom returns. It adds
// no pipeline rule of its own: caching, fallbacks, skips, records and the manifest are the
// stages'. Run it: npx tsx --tsconfig tsconfig.json examples/pipeline/sequential-runner.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { createCompositor } from '@layerloom/compositor';
import {
  type Compositor,
  createPreviewProvider,
  createScheduler,
  createSchedulerExecutor,
  memoryCache,
  type Provider,
  type RenderEvent,
  type RenderResult,
  type SkippedStep,
  systemClock,
} from '@layerloom/core';
import {
  assembleResult,
  compositedLayers,
  compositeLayers,
  type PaintContext,
  type PaintedStep,
  paintStep,
  planRenderInput,
  stepEvents,
} from '@layerloom/core/pipeline';

/** Renders `.loom` text with each provider call after the previous one. */
export async function renderSequentially(
  text: string,
  providers: Readonly<Record<string, Provider>>,
  compositor: Compositor,
  onEvent: (event: RenderEvent) => void = () => {},
): Promise<RenderResult> {
  const startedAt = systemClock.now();
  // Parses the text, resolves any `use`d world packs (from the working directory) and plans.
  const plan = await planRenderInput(text, {}, providers);
  const planMs = systemClock.now() - startedAt;
  const elapsed = () => systemClock.now() - startedAt;
  const context: PaintContext = {
    executor: createSchedulerExecutor(createScheduler({ concurrency: 1 })),
    cache: memoryCache(),
    cachePolicy: 'seeded',
    clock: systemClock,
    priority: 0,
  };
  const signal = new AbortController().signal;
  const run = (step: (typeof plan.steps)[number]) => ({
    providers,
    onLayerError: 'skip' as const,
    signal,
    events: stepEvents(step.kind, step.id, elapsed),
    emit: (event: RenderEvent | undefined) => event && onEvent(event),
  });

  // Stage 1: paint every layer, inputs before the layers painted over them (plan order).
  const layers = new Map<string, PaintedStep>();
  const skipped: SkippedStep[] = [];
  const layersBegan = systemClock.now();
  for (const step of plan.steps) {
    if (step.kind !== 'layer') continue;
    const input = step.dependsOn === undefined ? undefined : layers.get(step.dependsOn);
    const outcome = await paintStep(context, step, input?.record.image, run(step));
    if (outcome.painted) layers.set(step.id, outcome.painted);
    else skipped.push(outcome.skipped);
  }
  const layersMs = systemClock.now() - layersBegan;

  // Stage 2: composite what was painted.
  const composite = await compositeLayers(
    { compositor, clock: systemClock },
    {
      composition: plan.composition,
      layers: compositedLayers(plan).map(({ stepId, layer }) => {
        const painted = layers.get(stepId);
        return painted === undefined
          ? { layer }
          : { layer, painted: { image: painted.record.image, matte: painted.matte } };
      }),
      skipped,
    },
    signal,
  );

  // Stage 3: the style pass over the composite.
  let style: PaintedStep | undefined;
  const styleStep = plan.steps.find((step) => step.kind === 'style');
  if (styleStep !== undefined) {
    const outcome = await paintStep(context, styleStep, composite.image, run(styleStep));
    if (outcome.painted) style = outcome.painted;
    else skipped.push(outcome.skipped);
  }

  // Stage 4: records, manifest, timings and cost.
  return assembleResult({
    plan,
    providers,
    layers,
    style,
    skipped,
    composite: composite.image,
    timings: { planMs, layersMs, compositeMs: composite.ms },
    startedAt,
    finishedAt: systemClock.now(),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const preview = createPreviewProvider();
  const result = await renderSequentially(
    'size 512x384\nseed 7\n｜hero: a knight in silver armour @A {w: 50%, h: 80%, x: 25%, y: 15%}\n｜scene: misty forest at dawn @B\n—style: watercolour @A',
    { A: preview, B: preview },
    createCompositor(),
    (event) => console.log(event.type, 'layerId' in event ? event.layerId : ''),
  );
  await mkdir('out', { recursive: true });
  await writeFile('out/sequential.png', result.image.bytes);
  console.log(
    `out/sequential.png: ${result.image.width}×${result.image.height}, manifest steps:`,
    result.manifest.steps.map((step) => step.id).join(', '),
  );
}
