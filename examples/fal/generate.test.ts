import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeFal,
  type FakeFal,
  testFalKey,
} from '../../packages/provider-fal/src/fixtures/fake-fal-server.js';
import { runExampleScript } from '../run-example-script.js';
import { noKeyMessage, runFalExample } from './generate.js';

let fake: FakeFal;
let directory: string;
beforeAll(async () => {
  fake = await createFakeFal();
  directory = await mkdtemp(join(tmpdir(), 'layerloom-fal-example-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const lookup: LookupFunction = (_hostname, _options, callback) => callback(null, '127.0.0.1', 4);

describe('examples/fal/generate.ts', () => {
  it('runs as a script without a key: exit code 0 and the message', async () => {
    const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
    // runExampleScript passes only PATH besides what it is given: no key at all.
    const run = await runExampleScript(script, [], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(noKeyMessage);
  });

  it('with a key, reports the queue and progress and writes the image (against a fake fal)', async () => {
    const output = join(directory, 'fox.png');
    const lines: string[] = [];
    const code = await runFalExample({
      env: { FAL_KEY: testFalKey, FAL_BASE_URL: fake.queueURL },
      outputPath: output,
      log: (line) => lines.push(line),
      settings: {
        pollIntervalMs: 5,
        imageDownload: { allowHttp: true, allowedAddresses: ['127.0.0.1'], lookup },
      },
    });
    expect(code).toBe(0);
    expect(fake.calls()[0]!.path).toBe('/queue/fal-ai/flux/dev');
    expect(fake.lastInput()).toMatchObject({
      prompt: expect.stringContaining('red fox'),
      image_size: { width: 1024, height: 768 },
      seed: 42,
      num_inference_steps: 28,
    });
    expect(lines).toEqual([
      'Estimated cost: $0.025',
      'Queued: place 2',
      'Queued: place 1',
      'Painting 32%',
      'Painting 68%',
      `Wrote image/png to ${output}`,
      'Seed: 42; cost: $0.025; request id: req-1-5f1c',
    ]);
    expect(lines.join('\n')).not.toContain(testFalKey);
    expect([...(await readFile(output)).subarray(0, 8)]).toEqual(pngSignature);
  });
});
