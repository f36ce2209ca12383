/**
 * The harmony stage against the composite it precedes, in one process, on the same inputs,
 * side by side: W8 (a 2048² opaque background and 7 matted layers of 1024²–2048², see
 * `workloads.ts`), every layer colour-matched to the background (`harmonize: { to: background,
 * amount: 0.6 }`: statistics of all 8 layers and 7 transfers), and the same stack with a drop
 * shadow under each of the 7 layers too. A floor is timed beside them: the 7 layers' bytes
 * copied once into fresh memory, the least any stage that returns new layers pays before it
 * does any colour maths (the composite reads those bytes once and writes one canvas).
 *
 * Run: `npm run bench -w @layerloom/compositor -- harmony`. Prints whether colour harmony met
 * its target (at most the composite itself: ratio to `compositeRasters` of the same stack ≤ 1);
 * a report, not a gate (exit code 0 either way), since a shared machine moves both figures.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  compositeRasters,
  dropShadow,
  type HarmonyEntry,
  harmonizeLayers,
  type Raster,
} from '@layerloom/compositor';
import { workload } from './workloads.js';

const rounds = 7;
const warmUpRounds = 2;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const { base, layers } = workload('matted');
const entries: HarmonyEntry[] = [
  ...layers.map((layer, index) => ({
    layer: { id: `layer-${index}`, harmonize: { to: 'background', amount: 0.6 } },
    raster: layer.raster,
  })),
  { layer: { id: 'background' }, raster: base },
];

const contenders: { name: string; run: () => Promise<unknown> | unknown }[] = [
  {
    name: `compositeRasters (${availableParallelism()} threads)`,
    run: () => compositeRasters(base, layers),
  },
  {
    // The least a stage that returns new layers pays, colour maths or not: their bytes copied
    // once into fresh memory.
    name: 'floor: copy of the 7 layers',
    run: () => layers.map((layer) => new Uint8ClampedArray(layer.raster.data)),
  },
  {
    name: `harmonizeLayers (colour, 8 layers, ${availableParallelism()} threads)`,
    run: () => harmonizeLayers(entries),
  },
  {
    name: 'harmonizeLayers (1 thread)',
    run: () => harmonizeLayers(entries, undefined, { threads: 1 }),
  },
  {
    name: 'dropShadow × 7 (blur 8)',
    run: () => layers.map((layer) => dropShadow(layer.raster, { blur: 8 })),
  },
];
// Both paths give the same bytes (checked once, before the timing).
const [threaded, single] = await Promise.all([
  harmonizeLayers(entries),
  harmonizeLayers(entries, undefined, { threads: 1 }),
]);
const same = threaded.every((raster, index) => {
  const other = single[index]!.data;
  return raster.data.length === other.length && raster.data.every((byte, at) => byte === other[at]);
});
console.log(`Threaded and single-thread harmony give the same bytes: ${same ? 'yes' : 'NO'}`);
// Garbage is collected before each timed run, so that no contender pays for the garbage of the
// one before it (seven drop shadows and a harmonized stack are hundreds of megabytes).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const times = contenders.map((): number[] => []);
// Interleaved rounds, so that load from elsewhere on the machine hits every contender alike.
for (let round = 0; round < warmUpRounds + rounds; round++) {
  for (const [index, contender] of contenders.entries()) {
    collectGarbage();
    const start = performance.now();
    await contender.run();
    if (round >= warmUpRounds) times[index]!.push(performance.now() - start);
  }
}
const pixels = (raster: Raster) => raster.width * raster.height;
const megapixels = (entries.reduce((sum, entry) => sum + pixels(entry.raster), 0) / 1e6).toFixed(1);
console.log(`\n## W8 stack: ${base.width}×${base.height}, 8 layers (${megapixels} Mpix in all)`);
console.log(`${'contender'.padEnd(40)} ${'median ms'.padStart(10)} ${'× composite'.padStart(12)}`);
const composite = median(times[0]!);
const rows = contenders.map((contender, index) => {
  const ms = median(times[index]!);
  console.log(
    `${contender.name.padEnd(40)} ${ms.toFixed(1).padStart(10)} ${(ms / composite).toFixed(2).padStart(12)}`,
  );
  return ms / composite;
});
const floor = rows[1]!;
const ratio = rows[2]!;
console.log(
  ratio <= 1
    ? `\nColour harmony costs ${ratio.toFixed(2)}× the composite (target ≤ 1.0): met.`
    : `\nColour harmony costs ${ratio.toFixed(2)}× the composite (target ≤ 1.0): missed.`,
);
console.log(
  `Copying the 7 layers alone costs ${floor.toFixed(2)}× the composite; harmony costs ${(ratio / floor).toFixed(2)}× that copy.`,
);
console.log(
  `Load average: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')}`,
);
