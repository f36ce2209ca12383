/**
 * Parse throughput of the layer notation on a 1,000-layer document with attributes, as a ratio
 * against `JSON.parse` of the equivalent composition JSON, in the same process.
 *
 * Run: `npm run bench -w @layerloom/core -- notation`. Exits with 1 when the ratio is above the
 * target.
 */
import { parseLayerNotation, validateComposition } from '@layerloom/core';

const targetRatio = 10;
const layerCount = 1_000;
const warmUpIterations = 100;
const rounds = 9;
const iterationsPerRound = 40;

function buildDocument(): string {
  const lines = [
    'size 1024x1536',
    'background #f4efe6',
    'seed 42',
    'format webp {quality: 90}',
    'define armour: silver armour, engraved pauldrons',
    '',
  ];
  const blends = ['normal', 'multiply', 'screen', 'overlay'];
  for (let index = 1; index <= layerCount; index++) {
    lines.push(
      `| layer${index}: a knight in $armour number ${index}, scar over the left eye @A ` +
        `{x: ${index % 100}%, y: ${index * 3}, w: 512, h: 40%, fit: contain, anchor: bottom, ` +
        `blend: ${blends[index % blends.length]}, opacity: 0.8, seed: ${index}, ` +
        `negative: "blurry, low quality", matte: chroma, opt.steps: 30, opt.sampler: "dpm++"}`,
    );
  }
  lines.push('— style: watercolour, soft morning light @Z {strength: 0.35, seed: 7}');
  return `${lines.join('\n')}\n`;
}

function timePerCall(call: () => unknown, iterations: number): number {
  const start = performance.now();
  for (let index = 0; index < iterations; index++) call();
  return (performance.now() - start) / iterations;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const notation = buildDocument();
const json = JSON.stringify(parseLayerNotation(notation));
const notationBytes = Buffer.byteLength(notation);
const jsonBytes = Buffer.byteLength(json);

for (let index = 0; index < warmUpIterations; index++) {
  parseLayerNotation(notation);
  validateComposition(JSON.parse(json));
}

const notationTimes: number[] = [];
const jsonTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  notationTimes.push(timePerCall(() => parseLayerNotation(notation), iterationsPerRound));
  jsonTimes.push(timePerCall(() => JSON.parse(json), iterationsPerRound));
}
// Context only, measured apart so that its garbage does not disturb the rounds above: the
// notation parser validates with compositionSchema, plain JSON.parse does not.
const validatedJsonTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  validatedJsonTimes.push(
    timePerCall(() => validateComposition(JSON.parse(json)), iterationsPerRound),
  );
}

const notationMs = median(notationTimes);
const jsonMs = median(jsonTimes);
const ratio = notationMs / jsonMs;
const megabytesPerSecond = (bytes: number, ms: number) => bytes / 1_048_576 / (ms / 1000);

console.log(
  `document: ${layerCount} layers with attributes, ${(notationBytes / 1024).toFixed(1)} KiB of notation, ${(jsonBytes / 1024).toFixed(1)} KiB as JSON`,
);
console.log(
  `rounds: ${rounds} x ${iterationsPerRound} calls after ${warmUpIterations} warm-up calls (median round)`,
);
console.log(
  `parseLayerNotation  ${notationMs.toFixed(3)} ms/parse  ${megabytesPerSecond(notationBytes, notationMs).toFixed(1)} MB/s`,
);
console.log(
  `JSON.parse          ${jsonMs.toFixed(3)} ms/parse  ${megabytesPerSecond(jsonBytes, jsonMs).toFixed(1)} MB/s`,
);
const validatedMs = median(validatedJsonTimes);
console.log(
  `JSON.parse + schema ${validatedMs.toFixed(3)} ms/parse  (context: parseLayerNotation validates too)`,
);
console.log(`ratio               ${ratio.toFixed(2)}x JSON.parse (target <= ${targetRatio}x)`);
if (ratio > targetRatio) {
  console.error(
    `notation parsing is ${ratio.toFixed(2)}x slower than JSON.parse, above ${targetRatio}x`,
  );
  process.exitCode = 1;
}
