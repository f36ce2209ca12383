/**
 * Studio benchmark: an opacity change on a 1024×1024 stack of four layers, from the page's
 * point of view — `POST /api/edit` (the change written into the text), `POST /api/render`
 * without the style pass, the render's events over SSE until it ends, and the new composite's
 * bytes fetched — against a full cold render of the same stack (empty cache, every layer painted
 * by the preview provider) through the same server, in the same process.
 *
 * Run: `npm run bench -w @layerloom/cli`. Exits with 1 when the median re-composite misses
 * 250 ms or makes a provider call.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio } from '../src/studio/start-studio.js';
import { buildStudioPage } from '../test/build-studio-page.js';
import { connectStudio } from '../test/studio-client.js';

const targetMs = 250;
const samples = 15;
const text = [
  'size 1024x1024',
  'background #202428',
  '| hero: a knight @A {w: 60%, h: 80%, x: 20%, y: 20%}',
  '| cat: a cat @B {w: 30%, h: 30%, x: 5%, y: 65%}',
  '| fog: low fog @C {opacity: 60%, blend: screen}',
  '| scene: a forest @D',
  '',
].join('\n');
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile90 = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;

const project = mkdtempSync(join(tmpdir(), 'layerloom-studio-bench-'));
const assetsDirectory = await buildStudioPage();
copyFileSync(new URL('../../../examples/seed.loom', import.meta.url), join(project, 'seed.loom'));

async function session() {
  const studio = await startStudio({ root: project, assetsDirectory });
  const client = await connectStudio(studio);
  return { studio, client };
}

const calls = (studio: { session: { calls(): Readonly<Record<string, number>> } }) =>
  Object.values(studio.session.calls()).reduce((sum, count) => sum + count, 0);

// Baseline: full cold renders, each in a new studio (an empty cache).
const cold: number[] = [];
for (let index = 0; index < 5; index++) {
  const { studio, client } = await session();
  const started = performance.now();
  const { events } = await client.render(text, { style: false });
  const composite = events.find((event) => event.type === 'composite:done')!;
  await (await client.fetch(composite.imageUrl as string)).arrayBuffer();
  cold.push(performance.now() - started);
  client.close();
  await studio.close();
}

// Re-composites: one studio, the layers in its cache, the opacity of `fog` changed each time.
const { studio, client } = await session();
await client.render(text, { style: false });
const before = calls(studio);
let current = text;
const warm: number[] = [];
for (let index = 0; index < samples + 3; index++) {
  const started = performance.now();
  const edited = await client.send('/api/edit', {
    text: current,
    stepId: 'fog',
    edit: { opacity: 0.2 + (index % 7) / 10 },
  });
  current = edited.body.text;
  const { events } = await client.render(current, { style: false });
  const composite = events.find((event) => event.type === 'composite:done')!;
  await (await client.fetch(composite.imageUrl as string)).arrayBuffer();
  if (index >= 3) warm.push(performance.now() - started);
}
const providerCalls = calls(studio) - before;
client.close();
await studio.close();
rmSync(project, { recursive: true, force: true });

const warmMedian = median(warm);
const coldMedian = median(cold);
console.log(
  `re-composite after an opacity change, 1024x1024, 4 layers (edit + render + SSE + image): median ${warmMedian.toFixed(1)} ms, p90 ${percentile90(warm).toFixed(1)} ms over ${samples} (target < ${targetMs} ms); provider calls ${providerCalls}`,
);
console.log(
  `full cold render of the same stack (preview provider, empty cache): median ${coldMedian.toFixed(1)} ms over ${cold.length}`,
);
console.log(`ratio re-composite / cold render: ${(warmMedian / coldMedian).toFixed(2)}x`);
process.exit(warmMedian < targetMs && providerCalls === 0 ? 0 : 1);
