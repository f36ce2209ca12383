import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectImage } from '@layerloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeStability,
  type FakeStability,
  fieldsOf,
  testApiKey,
} from '../../packages/provider-stability/src/fixtures/fake-stability-server.js';
import { runExampleScript } from '../run-example-script.js';
import { noKeyMessage, runStabilityExample } from './generate.js';

let fake: FakeStability;
let directory: string;
beforeAll(async () => {
  fake = await createFakeStability();
  directory = await mkdtemp(join(tmpdir(), 'layerloom-stability-example-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

const script = fileURLToPath(new URL('./generate.ts', import.meta.url));

describe('examples/stability/generate.ts', () => {
  it('does nothing without STABILITY_API_KEY and says so', async () => {
    const lines: string[] = [];
    const code = await runStabilityExample({
      env: {},
      outputPath: '/nonexistent/never-written.png',
      log: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(lines).toEqual([noKeyMessage]);
  });

  it('runs as a script without a key: exit code 0 and the message', async () => {
    // runExampleScript passes only PATH besides what it is given: no key at all.
    const run = await runExampleScript(script, [], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(noKeyMessage);
  });

  it('with a key, paints, cuts out and writes a transparent PNG (against a fake Stability API)', async () => {
    const output = join(directory, 'fox.png');
    const { code, stdout, stderr } = await runExampleScript(script, [output], {
      STABILITY_API_KEY: testApiKey,
      STABILITY_BASE_URL: fake.baseURL,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    expect(fake.server.requestLines()).toEqual([
      'POST /v2beta/stable-image/generate/core',
      'POST /v2beta/stable-image/edit/remove-background',
    ]);
    const [paint, cut] = fake.calls();
    expect(await fieldsOf(paint!)).toEqual({
      prompt: 'A red fox sitting in tall grass, full body, soft morning light',
      negative_prompt: 'blurry, text',
      aspect_ratio: '1:1',
      seed: '1234',
      style_preset: 'photographic',
    });
    expect(Object.keys(await fieldsOf(cut!))).toEqual(['image']);
    expect(stdout).toMatch(/^Estimated cost of the painting: \$0\.03$/m);
    expect(stdout).toContain('with seed 1234; cost $0.03');
    expect(stdout).toContain(`Wrote the cut-out (image/png) to ${output}`);
    expect(stdout).not.toContain(testApiKey);
    expect(inspectImage(new Uint8Array(await readFile(output)))).toMatchObject({
      mediaType: 'image/png',
      hasAlpha: true,
      complete: true,
    });
  });
});
