/**
 * Render pipeline benchmarks, with mock providers and the recording compositor:
 *
 * (b) makespan — one composition of 200 layers over 3 providers (20 ms per call, concurrency
 *     4/2/8): the time until the last layer is painted, against the theoretical bound
 *     `max over providers of ceil(layers / concurrency) * latency`, and against the same calls
 *     dispatched by hand. Measured with providers whose calls take exactly 20 ms (the target
 *     applies to these) and with the test kit's mock, whose `setTimeout(20)` fires ~1 ms late;
 * (c) memory — `renderMany` of 1,000 small compositions: RSS at the start and at the end.
 *
 * Run: `npm run bench -w @layerloom/core -- pipeline`. Exits with 1 when a figure misses its
 * target (makespan <= 1.05x the bound, RSS growth <= 100 MB).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Composition, createLoom, type Provider } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const makespanTarget = 1.05;
const rssTargetMegabytes = 100;
const megabytes = (bytes: number) => bytes / 1024 / 1024;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
let failed = false;

// (b) makespan of 200 layers
/**
 * Sleeps until `milliseconds` after now, to within a few microseconds: a timer for most of the
 * wait, then a check on each turn of the event loop. `setTimeout(20)` alone fires about 1 ms
 * late, which over the 34 calls of the critical path would measure Node's timer granularity
 * rather than the pipeline.
 */
async function sleepPrecisely(milliseconds: number): Promise<void> {
  const deadline = performance.now() + milliseconds;
  if (milliseconds > 2) await new Promise((resolve) => setTimeout(resolve, milliseconds - 2));
  while (performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
}

/** A provider whose calls take exactly `latencyMs` (the test kit's mock, after a precise wait). */
function preciseProvider(
  id: string,
  latencyMs: number,
): Provider & { readonly maxInFlight: number } {
  const mock = createMockProvider({ id });
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    id: mock.id,
    modelId: mock.modelId,
    capabilities: mock.capabilities,
    get maxInFlight() {
      return maxInFlight;
    },
    async generate(request) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await sleepPrecisely(latencyMs);
        return await mock.generate(request);
      } finally {
        inFlight--;
      }
    },
  };
}

async function makespanBench(label: string, precise: boolean): Promise<number> {
  const latencyMs = 20;
  const limits = { A: 4, B: 2, C: 8 } as const;
  const aliases = Object.keys(limits) as (keyof typeof limits)[];
  const layerCount = 200;
  const providers = Object.fromEntries(
    aliases.map((alias) => [
      alias,
      precise
        ? preciseProvider(alias.toLowerCase(), latencyMs)
        : createMockProvider({ id: alias.toLowerCase(), latencyMs }),
    ]),
  ) as Record<string, Provider & { readonly maxInFlight: number }>;
  const loom = createLoom({
    providers,
    compositor: createRecordingCompositor(),
    limits: Object.fromEntries(aliases.map((alias) => [alias, { concurrency: limits[alias] }])),
  });
  const layers = Array.from({ length: layerCount }, (_, index) => ({
    id: `layer${index}`,
    prompt: `thing number ${index}`,
    provider: aliases[index % aliases.length]!,
    seed: index,
  }));
  const composition: Composition = { width: 64, height: 64, layers };
  const perAlias = aliases.map(
    (alias) => layers.filter((layer) => layer.provider === alias).length,
  );
  const boundMs = Math.max(
    ...aliases.map((alias, index) => Math.ceil(perAlias[index]! / limits[alias]) * latencyMs),
  );
  /**
   * The same calls without the pipeline: per provider, `concurrency` workers each making their
   * share of the calls back to back.
   */
  const idealDispatch = async () => {
    const started = performance.now();
    await Promise.all(
      aliases.flatMap((alias) => {
        const mine = layers.filter((layer) => layer.provider === alias);
        return Array.from({ length: limits[alias] }, async (_, worker) => {
          for (let index = worker; index < mine.length; index += limits[alias]) {
            const layer = mine[index]!;
            await providers[alias]!.generate({
              prompt: layer.prompt,
              width: 64,
              height: 64,
              seed: layer.seed,
              signal: new AbortController().signal,
            });
          }
        });
      }),
    );
    return performance.now() - started;
  };
  await loom.render({ width: 8, height: 8, layers: layers.slice(0, 6) });
  const makespans: number[] = [];
  const totals: number[] = [];
  const ideals: number[] = [];
  for (let round = 0; round < 7; round++) {
    const result = await loom.render(composition);
    makespans.push(result.timings.layersMs);
    totals.push(result.timings.totalMs);
    ideals.push(await idealDispatch());
  }
  const makespan = median(makespans);
  const ideal = median(ideals);
  const ratio = makespan / boundMs;
  console.log(`    ${label}`);
  console.log(
    `      makespan (layers)  ${makespan.toFixed(1)} ms = ${ratio.toFixed(3)}x the bound; whole render ${median(totals).toFixed(1)} ms`,
  );
  console.log(
    `      ideal dispatch     ${ideal.toFixed(1)} ms = ${(ideal / boundMs).toFixed(3)}x the bound (same calls, no pipeline); makespan / ideal ${(makespan / ideal).toFixed(3)}x`,
  );
  console.log(
    `      most calls in flight per provider: ${aliases.map((alias) => providers[alias]!.maxInFlight).join('/')}`,
  );
  return ratio;
}

{
  console.log(
    '(b) 200 layers over 3 providers (67/67/66 layers, concurrency 4/2/8, 20 ms per call), median of 7 renders',
  );
  console.log('    theoretical bound 680 ms (34 calls back to back on the concurrency-2 provider)');
  const preciseRatio = await makespanBench('providers taking exactly 20 ms per call:', true);
  await makespanBench('test-kit mock providers (setTimeout(20), which fires ~1 ms late):', false);
  console.log(
    `    makespan = ${preciseRatio.toFixed(3)}x the theoretical bound with exact 20 ms calls (target <= ${makespanTarget}x)`,
  );
  if (preciseRatio > makespanTarget) {
    console.error(`    makespan ${preciseRatio.toFixed(3)}x the bound is above ${makespanTarget}x`);
    failed = true;
  }
}

// (c) renderMany memory
{
  const count = 1_000;
  const concurrency = 8;
  const providers = {
    A: createMockProvider({ id: 'a' }),
    B: createMockProvider({ id: 'b', capabilities: { transparency: false } }),
    C: createMockProvider({ id: 'c' }),
  };
  const loom = createLoom({ providers, compositor: createRecordingCompositor() });
  function* compositions(): Generator<Composition> {
    for (let index = 0; index < count; index++) {
      yield {
        width: 128,
        height: 128,
        seed: index,
        layers: [
          {
            id: 'hero',
            prompt: `hero ${index}`,
            provider: 'A',
            placement: { x: 16, y: 16, width: 64, height: 96 },
          },
          {
            id: 'pet',
            prompt: `pet ${index}`,
            provider: 'B',
            placement: { x: 64, y: 80, width: 48, height: 48 },
          },
          { id: 'scene', prompt: `scene ${index}`, provider: 'C' },
        ],
      };
    }
  }
  for await (const item of loom.renderMany(compositions(), { concurrency }))
    if (item.index >= 20) break;
  collectGarbage();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let ok = 0;
  const started = performance.now();
  for await (const item of loom.renderMany(compositions(), { concurrency })) {
    if (item.ok) ok++;
    if (item.index % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const elapsed = performance.now() - started;
  collectGarbage();
  const endRss = process.memoryUsage().rss;
  const growth = megabytes(endRss - startRss);
  console.log(
    `(c) renderMany of ${count} compositions (3 layers, 128x128, concurrency ${concurrency}): ${ok} ok in ${(elapsed / 1000).toFixed(2)} s`,
  );
  console.log(
    `    RSS start ${megabytes(startRss).toFixed(1)} MB, end ${megabytes(endRss).toFixed(1)} MB, peak ${megabytes(peakRss).toFixed(1)} MB`,
  );
  console.log(
    `    growth ${growth.toFixed(1)} MB = ${(growth / rssTargetMegabytes).toFixed(2)}x the target (<= ${rssTargetMegabytes} MB); end/start ${(endRss / startRss).toFixed(2)}x`,
  );
  if (ok !== count || growth > rssTargetMegabytes) {
    console.error(`    ${ok}/${count} ok, RSS growth ${growth.toFixed(1)} MB`);
    failed = true;
  }
}

if (failed) process.exitCode = 1;
