/**
 * The whole path of a render, PNG bytes in and encoded bytes out, Layerloom against the same
 * job written with sharp alone, in one run.
 *
 * Inputs: the W8 stack of `composite.bench.ts` (a 2048² opaque background and 7 matted layers
 * of 1024²–2048², modes normal ×4, multiply, screen, soft-light, opacities 1 and 0.7), each
 * layer encoded as a PNG by sharp (its default settings, as a provider's file would come). sharp
 * has no per-layer opacity, so its layers' PNGs have alpha × opacity already applied.
 *
 * - Layerloom, staged: `decodeImage` of every layer at once → `compositeRasters` (the offsets
 *   place and clip the layers) → `encodeImage` (PNG: Layerloom's parallel encoder at its fast
 *   default; WebP: sharp's). The time of each stage is reported.
 * - Layerloom, `createCompositor().composite()`: what a loom calls, placement boxes and mattes
 *   included.
 * - A floor (W8 PNG only): Node's zlib inflating every layer's image data, all at once, nothing
 *   else — the least a PNG decoder written on Node pays, against which 2.5× sharp is weighed.
 * - sharp: `sharp(background).composite(layers).png()` (or `.webp()`), at `sharp.concurrency`
 *   1 and 2, and PNG at compression level 1 as well as its default (6).
 *
 * Each contender runs in a child process of its own, so that its peak RSS is its own (reported
 * over all its rounds, and once its first render, the warm-up, was done, beside its RSS before
 * any render); a memory floor is printed beside them: what one render of the staged design
 * holds at once whatever its code (every decoded layer, the result, the file); the children of a
 * variant run one after the other, twice over (interleaved, so that load from
 * elsewhere on the machine hits each alike), and the figure is the median of all their rounds.
 * Variants: W8 PNG → PNG, W8 PNG → WebP, and W8 scaled to 4096² PNG → PNG.
 *
 * Run: `npm run bench -w @layerloom/compositor` (this file alone: `… bench whole-path`).
 * Exits with 1 when a target of issue 17 is missed: whole path W8 PNG→PNG ≥ 2.5× sharp's best
 * at its default `png()` (the ratio against sharp at PNG level 1, which writes bigger files, is
 * printed too), peak RSS ≤ sharp's + 25 %.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import {
  compositeRasters,
  createCompositor,
  decodeImage,
  encodeImage,
  type RasterLayer,
} from '@layerloom/compositor';
import type { BlendMode, CompositeLayer } from '@layerloom/core';
import sharp from 'sharp';
import { workload } from './workloads.js';

const inflateAsync = promisify(inflate);

const sharpBlend: Partial<Record<BlendMode, 'over' | 'multiply' | 'screen' | 'soft-light'>> = {
  normal: 'over',
  multiply: 'multiply',
  screen: 'screen',
  'soft-light': 'soft-light',
};

/** What the parent writes for the children: the layout beside the PNG files. */
interface Layout {
  readonly side: number;
  readonly layers: readonly {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
    readonly blend: BlendMode;
    readonly opacity: number;
  }[];
}

type Contender =
  | 'inflate-floor'
  | 'layerloom-staged'
  | 'layerloom-compositor'
  | 'sharp-c1'
  | 'sharp-c2'
  | 'sharp-c2-level1';

const contenderNames: Record<Contender, string> = {
  'inflate-floor': 'floor: zlib inflate of every layer',
  'layerloom-staged': 'Layerloom decode → composite → encode',
  'layerloom-compositor': 'Layerloom createCompositor().composite()',
  'sharp-c1': 'sharp, concurrency 1',
  'sharp-c2': 'sharp, concurrency 2',
  'sharp-c2-level1': 'sharp, concurrency 2, PNG level 1',
};

/** One child's answer. */
interface ChildReport {
  readonly ms: number[];
  readonly stages: { decode: number; composite: number; encode: number }[];
  readonly bytes: number;
  readonly peakRssMiB: number;
  /** Peak RSS once the first render (the warm-up) was done: what one render of a process costs. */
  readonly firstPeakRssMiB: number;
  /** RSS once the inputs were read, before any render: what every contender starts from. */
  readonly startRssMiB: number;
  readonly exact?: boolean;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function writeInputs(directory: string, scale: number): Promise<void> {
  const { base, layers } = workload('matted', scale);
  const png = (data: Uint8ClampedArray, width: number, height: number) =>
    sharp(Buffer.from(data.buffer, data.byteOffset, data.length), {
      raw: { width, height, channels: 4 },
    })
      .png()
      .toBuffer();
  await writeFile(join(directory, 'base.png'), await png(base.data, base.width, base.height));
  for (const [index, layer] of layers.entries()) {
    const { width, height, data } = layer.raster;
    await writeFile(join(directory, `layer-${index}.png`), await png(data, width, height));
    const opacity = layer.opacity ?? 1;
    const faded = new Uint8ClampedArray(data);
    if (opacity < 1) {
      for (let at = 3; at < faded.length; at += 4) faded[at] = Math.round(faded[at]! * opacity);
    }
    await writeFile(join(directory, `sharp-layer-${index}.png`), await png(faded, width, height));
  }
  const layout: Layout = {
    side: base.width,
    layers: layers.map((layer) => ({
      left: layer.left ?? 0,
      top: layer.top ?? 0,
      width: layer.raster.width,
      height: layer.raster.height,
      blend: layer.blend ?? 'normal',
      opacity: layer.opacity ?? 1,
    })),
  };
  await writeFile(join(directory, 'layout.json'), JSON.stringify(layout));
}

/** The zlib stream of a PNG file: its IDAT chunks' data, joined. */
function imageData(png: Uint8Array): Buffer {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') {
      parts.push(bytes.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** Runs one contender `rounds` times (after one warm-up) in this (child) process. */
async function runChild(
  contender: Contender,
  directory: string,
  format: 'png' | 'webp',
  rounds: number,
): Promise<ChildReport> {
  const layout = JSON.parse(await readFile(join(directory, 'layout.json'), 'utf8')) as Layout;
  const basePng = await readFile(join(directory, 'base.png'));
  const prefix = contender.startsWith('sharp') ? 'sharp-layer' : 'layer';
  const layerPngs = await Promise.all(
    layout.layers.map((_, index) => readFile(join(directory, `${prefix}-${index}.png`))),
  );
  const ms: number[] = [];
  const stages: ChildReport['stages'] = [];
  let bytes = 0;
  let exact: boolean | undefined;
  let firstPeakRssMiB = 0;
  const startRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  if (contender === 'sharp-c1') sharp.concurrency(1);
  if (contender.startsWith('sharp-c2')) sharp.concurrency(2);
  const compositor = createCompositor();
  const compositeLayers: CompositeLayer[] = layout.layers.map((layer, index) => ({
    layer: {
      id: `layer-${index}`,
      prompt: 'bench',
      provider: 'bench',
      blend: layer.blend,
      opacity: layer.opacity,
      matte: 'alpha',
      placement: { x: layer.left, y: layer.top, width: layer.width, height: layer.height },
    },
    image: { bytes: layerPngs[index]!, mediaType: 'image/png' },
  }));
  compositeLayers.push({
    layer: { id: 'background', prompt: 'bench', provider: 'bench', matte: 'none' },
    image: { bytes: basePng, mediaType: 'image/png' },
  });
  for (let round = 0; round <= rounds; round++) {
    const start = performance.now();
    let output: Uint8Array;
    let inflatedBytes: number | undefined;
    if (contender === 'inflate-floor') {
      // The least any PNG decoder on Node pays: only the inflate (no unfiltering, no RGBA),
      // every layer at once on libuv's threads. Nothing is encoded.
      const streams = [basePng, ...layerPngs].map(imageData);
      // Output chunks of 1 MiB: Node's default 16 KiB makes it half as fast.
      const inflated = await Promise.all(
        streams.map((stream) => inflateAsync(stream, { chunkSize: 1 << 20 })),
      );
      output = inflated[0]!;
      // Its "output" is the inflated image data, all layers'.
      inflatedBytes = inflated.reduce((sum, data) => sum + data.length, 0);
    } else if (contender === 'layerloom-staged') {
      const [base, ...rasters] = await Promise.all(
        [basePng, ...layerPngs].map((png) => decodeImage(png)),
      );
      const decoded = performance.now();
      const layers: RasterLayer[] = layout.layers.map((layer, index) => ({
        raster: rasters[index]!,
        left: layer.left,
        top: layer.top,
        blend: layer.blend,
        opacity: layer.opacity,
      }));
      const picture = await compositeRasters(base!, layers);
      const composited = performance.now();
      output = await encodeImage(picture, { format });
      const encoded = performance.now();
      if (round > 0) {
        stages.push({
          decode: decoded - start,
          composite: composited - decoded,
          encode: encoded - composited,
        });
      }
      if (round === 0 && format === 'png') {
        // Lossless: the file decodes (by sharp) to the composite's very bytes.
        const back = await sharp(output).raw().toBuffer();
        exact = back.equals(Buffer.from(picture.data.buffer));
      }
    } else if (contender === 'layerloom-compositor') {
      const result = await compositor.composite({
        width: layout.side,
        height: layout.side,
        layers: compositeLayers,
        output: { format },
      });
      output = result.bytes;
    } else {
      const pipeline = sharp(basePng).composite(
        layout.layers.map((layer, index) => ({
          input: layerPngs[index]!,
          left: layer.left,
          top: layer.top,
          blend: sharpBlend[layer.blend],
        })),
      );
      output =
        format === 'webp'
          ? await pipeline.webp({ quality: 90 }).toBuffer()
          : await pipeline
              .png(contender === 'sharp-c2-level1' ? { compressionLevel: 1 } : {})
              .toBuffer();
    }
    if (round > 0) ms.push(performance.now() - start);
    else firstPeakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    bytes = inflatedBytes ?? output.length;
  }
  return {
    ms,
    stages,
    bytes,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    firstPeakRssMiB,
    startRssMiB,
    ...(exact === undefined ? {} : { exact }),
  };
}

function child(args: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const running = fork(new URL(import.meta.url).pathname, ['--child', ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    running.once('message', (report) => resolve(report as ChildReport));
    running.once('error', reject);
    running.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The bench child ${args.join(' ')} exited with ${code}`));
    });
  });
}

interface Variant {
  readonly label: string;
  readonly scale: number;
  readonly format: 'png' | 'webp';
  readonly rounds: number;
  readonly passes: number;
  readonly contenders: readonly Contender[];
}

async function measure(variant: Variant, directory: string) {
  const reports = new Map<Contender, ChildReport[]>();
  for (let pass = 0; pass < variant.passes; pass++) {
    for (const contender of variant.contenders) {
      const report = await child([contender, directory, variant.format, String(variant.rounds)]);
      reports.set(contender, [...(reports.get(contender) ?? []), report]);
    }
  }
  console.log(`\n## ${variant.label}`);
  console.log(
    `${'contender'.padEnd(44)} ${'median ms'.padStart(10)} ${'output'.padStart(10)} ${'start'.padStart(8)} ${'peak RSS'.padStart(9)} ${'1st render'.padStart(10)}`,
  );
  const rows = new Map<
    Contender,
    { ms: number; rss: number; firstRss: number; startRss: number }
  >();
  for (const contender of variant.contenders) {
    const all = reports.get(contender)!;
    const ms = median(all.flatMap((report) => report.ms));
    const rss = Math.max(...all.map((report) => report.peakRssMiB));
    const firstRss = Math.max(...all.map((report) => report.firstPeakRssMiB));
    const startRss = median(all.map((report) => report.startRssMiB));
    rows.set(contender, { ms, rss, firstRss, startRss });
    const size = `${(all[0]!.bytes / 1e6).toFixed(2)} MB`;
    console.log(
      `${contenderNames[contender].padEnd(44)} ${ms.toFixed(1).padStart(10)} ${size.padStart(10)} ${`${startRss} MiB`.padStart(8)} ${`${rss} MiB`.padStart(9)} ${`${firstRss} MiB`.padStart(10)}`,
    );
  }
  const staged = reports.get('layerloom-staged')!;
  const stage = (name: 'decode' | 'composite' | 'encode') =>
    median(staged.flatMap((report) => report.stages.map((stages) => stages[name])));
  const split = { decode: stage('decode'), composite: stage('composite'), encode: stage('encode') };
  console.log(
    `Layerloom stages (medians): decode ${split.decode.toFixed(1)} ms, composite ${split.composite.toFixed(1)} ms, encode ${split.encode.toFixed(1)} ms`,
  );
  const exact = staged.every((report) => report.exact !== false);
  if (variant.format === 'png') {
    console.log(`Layerloom PNG decodes (sharp) to the composite's exact bytes: ${exact}`);
  }
  const sharpRows = [...rows.entries()].filter(([name]) => name.startsWith('sharp'));
  const floor = rows.get('inflate-floor');
  const [bestName, best] = sharpRows.sort((a, b) => a[1].ms - b[1].ms)[0]!;
  // sharp's `png()` as written, at its default level (6): the job the issue names.
  const [defaultName, atDefault] = sharpRows.filter(([name]) => !name.endsWith('level1'))[0]!;
  const layerloom = rows.get('layerloom-staged')!;
  const ratio = atDefault.ms / layerloom.ms;
  const compositor = rows.get('layerloom-compositor');
  console.log(
    `Whole path: Layerloom = ${ratio.toFixed(2)}× sharp's best at its default settings (${contenderNames[defaultName]})${compositor ? `; createCompositor = ${(atDefault.ms / compositor.ms).toFixed(2)}×` : ''}; peak RSS ${layerloom.rss} MiB vs sharp's ${atDefault.rss} MiB (${((layerloom.rss / atDefault.rss - 1) * 100).toFixed(0)} %), after the first render ${layerloom.firstRss} vs ${atDefault.firstRss} MiB (${((layerloom.firstRss / atDefault.firstRss - 1) * 100).toFixed(0)} %)`,
  );
  // What one render of the staged design must hold at once, whatever its code: every decoded
  // layer (the composite reads them all), the result and the encoded file.
  const layout = JSON.parse(await readFile(join(directory, 'layout.json'), 'utf8')) as Layout;
  const mebibytes = (bytes: number) => bytes / 2 ** 20;
  const decoded = mebibytes(
    layout.side * layout.side * 4 +
      layout.layers.reduce((sum, layer) => sum + layer.width * layer.height * 4, 0),
  );
  const result = mebibytes(layout.side * layout.side * 4);
  const file = mebibytes(staged[0]!.bytes);
  const held = layerloom.startRss + decoded + result + file;
  console.log(
    `Memory floor of the staged design: start ${layerloom.startRss} MiB + decoded layers ${decoded.toFixed(0)} + result ${result.toFixed(0)} + file ${file.toFixed(0)} = ${held.toFixed(0)} MiB for one render, against sharp's first render ${atDefault.firstRss} MiB + 25 % = ${(atDefault.firstRss * 1.25).toFixed(0)} MiB (sharp started at ${atDefault.startRss} MiB)`,
  );
  if (bestName !== defaultName) {
    console.log(
      `Against sharp's best at any setting (${contenderNames[bestName]}, a bigger file): ${(best.ms / layerloom.ms).toFixed(2)}×`,
    );
  }
  if (floor) {
    console.log(
      `Inflating the layers alone takes ${floor.ms.toFixed(1)} ms, ${((floor.ms / atDefault.ms) * 100).toFixed(0)} % of sharp's whole path: 2.5× sharp (${(atDefault.ms / 2.5).toFixed(1)} ms) would leave ${(atDefault.ms / 2.5 - floor.ms).toFixed(1)} ms for unfiltering, compositing and encoding`,
    );
  }
  return { ratio, rss: layerloom.rss, sharpRss: atDefault.rss, exact };
}

if (process.argv[2] === '--child') {
  const [contender, directory, format, rounds] = process.argv.slice(3) as [
    Contender,
    string,
    'png' | 'webp',
    string,
  ];
  const report = await runChild(contender, directory, format, Number(rounds));
  process.send!(report, () => process.exit(0));
} else {
  const all: Contender[] = [
    'inflate-floor',
    'layerloom-staged',
    'layerloom-compositor',
    'sharp-c1',
    'sharp-c2',
    'sharp-c2-level1',
  ];
  const w8 = await mkdtemp(join(tmpdir(), 'layerloom-bench-w8-'));
  const big = await mkdtemp(join(tmpdir(), 'layerloom-bench-4096-'));
  try {
    await writeInputs(w8, 1);
    const png = await measure(
      {
        label: 'W8, 2048², PNG in → PNG out',
        scale: 1,
        format: 'png',
        rounds: 4,
        passes: 2,
        contenders: all,
      },
      w8,
    );
    await measure(
      {
        label: 'W8, 2048², PNG in → WebP out (both encode with sharp, quality 90)',
        scale: 1,
        format: 'webp',
        rounds: 3,
        passes: 1,
        contenders: ['layerloom-staged', 'sharp-c1', 'sharp-c2'],
      },
      w8,
    );
    await writeInputs(big, 2);
    const large = await measure(
      {
        label: 'W8 ×2, 4096², PNG in → PNG out',
        scale: 2,
        format: 'png',
        rounds: 2,
        passes: 1,
        contenders: ['layerloom-staged', 'sharp-c1', 'sharp-c2'],
      },
      big,
    );
    const failures: string[] = [];
    if (png.ratio < 2.5) failures.push(`W8 PNG→PNG ${png.ratio.toFixed(2)}× sharp (target ≥ 2.5×)`);
    if (png.rss > png.sharpRss * 1.25) failures.push('W8 peak RSS above sharp’s + 25 %');
    if (!png.exact || !large.exact) failures.push('PNG output not lossless');
    console.log(failures.length === 0 ? '\nAll targets met.' : `\nMissed: ${failures.join('; ')}`);
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    await rm(w8, { recursive: true, force: true });
    await rm(big, { recursive: true, force: true });
  }
}
