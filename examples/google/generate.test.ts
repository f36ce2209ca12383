import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeGoogle,
  type FakeGoogle,
} from '../../packages/provider-google/src/fixtures/fake-google-server.js';
import { testApiKey } from '../../packages/provider-google/src/fixtures/google-responses.js';
import { runExampleScript } from '../run-example-script.js';
import { noKeyMessage, runGoogleExample } from './generate.js';

let fake: FakeGoogle;
let directory: string;
beforeAll(async () => {
  fake = await createFakeGoogle();
  directory = await mkdtemp(join(tmpdir(), 'layerloom-google-example-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

const script = fileURLToPath(new URL('./generate.ts', import.meta.url));

describe('examples/google/generate.ts', () => {
  it('does nothing without a key and says so', async () => {
    const lines: string[] = [];
    const code = await runGoogleExample({
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

  it('with a key, paints and writes the PNG (against a fake Gemini API)', async () => {
    const output = join(directory, 'lighthouse.png');
    const { code, stdout, stderr } = await runExampleScript(script, [output], {
      GEMINI_API_KEY: testApiKey,
      GEMINI_BASE_URL: fake.baseURL,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const call = fake.lastCall();
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(call.headers['x-goog-api-key']).toBe(testApiKey);
    expect(call.json()).toMatchObject({
      generationConfig: {
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '16:9' },
        seed: 7,
      },
    });
    expect(stdout).toMatch(/^Estimated cost: \$0\.039$/m);
    expect(stdout).toContain(`Wrote image/png to ${output}`);
    expect(stdout).toMatch(/^Cost: \$0\.0\d+; response id: resp_fake_123$/m);
    expect(stdout).not.toContain(testApiKey);
    expect([...(await readFile(output)).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
