/**
 * The worker threads must work from the published bundles too, where there are no TypeScript
 * sources: this builds the package with tsup (ESM and CommonJS, as `tsup.config.ts` does) and
 * runs composites through worker threads from each format until a worker answers with pixels,
 * then PNG encodes until a worker answers with compressed chunks.
 * A second build minifies and keeps names (esbuild's `keepNames`: functions renamed in the
 * text keep their old `name`), which the workers' source must survive too; its composite has
 * layers in every mode with loops of its own. The harmony workers (a kernel source of their
 * own) are run from all four bundles too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
// Inside the repository (in its ignored .tmp/), so that the bundles resolve sharp from its
// node_modules.
mkdirSync(join(root, '.tmp'), { recursive: true });
const directory = mkdtempSync(join(root, '.tmp', 'compositor-build-'));
const minified = mkdtempSync(join(root, '.tmp', 'compositor-build-minified-'));

// Counts the workers started and the bands they return.
const counter = `
const threads = require('node:worker_threads');
const { syncBuiltinESMExports } = require('node:module');
const stats = { started: 0, answered: 0, failed: 0, pngChunks: 0 };
const Original = threads.Worker;
threads.Worker = class extends Original {
  constructor(...args) {
    super(...args);
    stats.started++;
    this.on('message', (message) => {
      if (message && message.output) stats.answered++;
      if (message && message.chunks) stats.pngChunks += message.chunks.length;
    });
    this.on('error', () => stats.failed++);
  }
};
syncBuiltinESMExports();
const raster = (width, height, seed) => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < data.length; index++) data[index] = (index * seed * 2654435761) >>> 24;
  return { width, height, data };
};`;

// Composites through the workers.
const probe = (load: string, moreLayers = '') => `${counter}
(async () => {
  const { compositeRasters, compositeRastersSync, encodeImage } = ${load};
  const base = raster(640, 480, 3);
  const layers = [
    { raster: raster(420, 400, 5), left: -10, top: 5, blend: 'color-dodge', opacity: 0.6 },
    { raster: raster(480, 480, 7), left: 200, top: 20, blend: 'luminosity' },${moreLayers}
  ];
  const expected = Buffer.from(compositeRastersSync(base, layers).data);
  // The calling thread takes back the bands a worker has not started (at first, while the
  // workers boot, that may be all of them): composite until a worker has answered with pixels.
  let same = true;
  for (let attempt = 0; attempt < 50 && stats.answered === 0; attempt++) {
    const parallel = await compositeRasters(base, layers, { parallelThreshold: 0, threads: 3 });
    same = same && Buffer.compare(Buffer.from(parallel.data), expected) === 0;
  }
  // PNG chunks compressed on the workers: the same file as on the calling thread alone.
  const picture = raster(1024, 600, 23);
  const alone = Buffer.from(await encodeImage(picture, { format: 'png', threads: 1 }));
  let pngSame = true;
  for (let attempt = 0; attempt < 50 && stats.pngChunks === 0; attempt++) {
    const shared = Buffer.from(await encodeImage(picture, { format: 'png', threads: 3 }));
    pngSame = pngSame && shared.equals(alone);
  }
  const pngOnWorkers = stats.pngChunks > 0;
  delete stats.pngChunks;
  console.log(JSON.stringify({ same, ...stats, answered: stats.answered > 0, pngSame, pngOnWorkers }));
})();
`;

// Harmonizes through the harmony workers (their own kernel source, and WebAssembly kernel).
const harmonyProbe = (load: string) => `${counter}
(async () => {
  const { harmonizeLayers, harmonizeLayersSync } = ${load};
  const entries = [
    { layer: { id: 'hero', harmonize: { to: 'scene', amount: 0.7 } }, raster: raster(700, 500, 5) },
    { layer: { id: 'scene' }, raster: raster(640, 480, 3) },
  ];
  const expected = Buffer.from(harmonizeLayersSync(entries)[0].data);
  let same = true;
  for (let attempt = 0; attempt < 50 && stats.answered === 0; attempt++) {
    const [hero] = await harmonizeLayers(entries, undefined, { threads: 3 });
    same = same && Buffer.compare(Buffer.from(hero.data), expected) === 0;
  }
  delete stats.pngChunks;
  console.log(JSON.stringify({ same, ...stats, answered: stats.answered > 0 }));
})();
`;

// Layers in the modes with loops of their own (JavaScript and WebAssembly), and one hiding.
const leanLayers = `
    { raster: raster(300, 200, 11), left: 40, top: 60, blend: 'multiply', opacity: 0.8 },
    { raster: raster(260, 300, 13), left: 300, top: 100, blend: 'screen' },
    { raster: raster(200, 200, 17), left: 100, top: 250, blend: 'soft-light', opacity: 0.5 },
    { raster: { width: 120, height: 90, data: new Uint8ClampedArray(120 * 90 * 4).fill(255) }, left: 500, top: 300 },
    { raster: raster(640, 100, 19), top: 380, opacity: 0.9 },`;

async function buildInto(
  outDir: string,
  options: { minify?: boolean; keepNames?: boolean },
  moreLayers = '',
) {
  await build({
    config: false,
    entry: { index: join(root, 'packages/compositor/src/index.ts') },
    format: ['esm', 'cjs'],
    outDir,
    splitting: true,
    dts: false,
    silent: true,
    target: 'node20',
    platform: 'node',
    tsconfig: join(root, 'tsconfig.json'),
    // Core is bundled from its sources (the tsconfig paths); sharp stays a dependency.
    noExternal: [/^@layerloom\//],
    external: ['sharp'],
    ...options,
  });
  writeFileSync(join(outDir, 'probe.cjs'), probe("require('./index.cjs')", moreLayers));
  writeFileSync(
    join(outDir, 'probe.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${probe("await import('./index.js')", moreLayers)}`,
  );
  writeFileSync(join(outDir, 'harmony-probe.cjs'), harmonyProbe("require('./index.cjs')"));
  writeFileSync(
    join(outDir, 'harmony-probe.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${harmonyProbe("await import('./index.js')")}`,
  );
}

beforeAll(async () => {
  await Promise.all([
    buildInto(directory, {}),
    buildInto(minified, { minify: true, keepNames: true }, leanLayers),
  ]);
}, 60_000);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
  rmSync(minified, { recursive: true, force: true });
});

/** What a probe prints when the workers composited and compressed PNG chunks, as they should. */
const expectedProbe = {
  same: true,
  started: 2,
  answered: true,
  failed: 0,
  pngSame: true,
  pngOnWorkers: true,
};

describe('the built package', () => {
  it.each(['probe.mjs', 'probe.cjs'])('composites on worker threads from %s', (file) => {
    const output = execFileSync(process.execPath, [join(directory, file)], { encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(result).toEqual(expectedProbe);
  });

  it.each(['probe.mjs', 'probe.cjs'])(
    'composites on worker threads from %s, minified with names kept',
    (file) => {
      const output = execFileSync(process.execPath, [join(minified, file)], { encoding: 'utf8' });
      const result = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(result).toEqual(expectedProbe);
    },
  );

  it.each([
    ['harmony-probe.mjs', directory],
    ['harmony-probe.cjs', directory],
    ['harmony-probe.mjs, minified with names kept', minified],
    ['harmony-probe.cjs, minified with names kept', minified],
  ])('harmonizes on worker threads from %s', (label, outDir) => {
    const file = label.split(',')[0]!;
    const output = execFileSync(process.execPath, [join(outDir, file)], { encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(result).toEqual({ same: true, started: 2, answered: true, failed: 0 });
  });
});
