import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeReplicate,
  type FakeReplicate,
  fakeImageDownload,
  testApiKey,
} from '../../packages/provider-replicate/src/fixtures/fake-replicate-server.js';
import { runExampleScript } from '../run-example-script.js';
import { noTokenMessage, runReplicateExample } from './generate.js';

let fake: FakeReplicate;
let directory: string;
beforeAll(async () => {
  fake = await createFakeReplicate();
  directory = await mkdtemp(join(tmpdir(), 'layerloom-replicate-example-'));
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('examples/replicate/generate.ts', () => {
  it('does nothing without REPLICATE_API_TOKEN and says so', async () => {
    const lines: string[] = [];
    const code = await runReplicateExample({
      env: {},
      outputPath: '/nonexistent/never-written.png',
      log: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(lines).toEqual([noTokenMessage]);
  });

  it('runs as a script without a token: exit code 0 and the message', async () => {
    // runExampleScript passes only PATH besides what it is given: no token at all.
    const run = await runExampleScript(script, [], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(noTokenMessage);
  });

  it('with a token, runs the prediction, reports progress and writes the image (fake API)', async () => {
    // A data: URI output, so that the child process needs no download from a fake file host.
    fake.script({ polls: 2, output: 'data-uri' });
    const output = join(directory, 'lighthouse.png');
    const { code, stdout, stderr } = await runExampleScript(script, [output], {
      REPLICATE_API_TOKEN: testApiKey,
      REPLICATE_BASE_URL: fake.baseURL,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(fake.lastCreate().path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(fake.lastCreate().json()).toEqual({
      input: {
        prompt: 'A lighthouse on a cliff at dusk, warm light in its windows, wide shot',
        aspect_ratio: '16:9',
        seed: 2026,
        num_inference_steps: 4,
        num_outputs: 1,
      },
    });
    expect(stdout).toMatch(/^Estimated cost: \$0\.003$/m);
    expect(stdout).toMatch(/^Progress: 35%\nProgress: 100%$/m);
    expect(stdout).toContain(`Wrote image/png to ${output}`);
    expect(stdout).toMatch(/Cost: \$0\.003; seed: 4242; prediction: fake/);
    expect(stdout).not.toContain(testApiKey);
    expect([...(await readFile(output)).subarray(0, 8)]).toEqual(pngSignature);
  });

  it('downloads a URL output through the guarded downloader', async () => {
    const lines: string[] = [];
    const output = join(directory, 'downloaded.png');
    const code = await runReplicateExample({
      env: { REPLICATE_API_TOKEN: testApiKey, REPLICATE_BASE_URL: fake.baseURL },
      outputPath: output,
      log: (line) => lines.push(line),
      imageDownload: fakeImageDownload,
    });
    expect(code).toBe(0);
    expect(fake.server.requestLines().at(-1)).toMatch(/^GET \/xezq\/fake\w+\/out-0\.png$/);
    expect([...(await readFile(output)).subarray(0, 8)]).toEqual(pngSignature);
  });
});
