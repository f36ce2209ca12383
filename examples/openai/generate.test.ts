import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testApiKey } from '../../packages/provider-openai/src/fixtures/openai-responses.js';
import { runExampleScript } from '../run-example-script.js';
import { noKeyMessage, runOpenAIExample } from './generate.js';
import { useFakeOpenAI } from './use-fake-openai.js';

const setup = useFakeOpenAI('layerloom-openai-example-');

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('examples/openai/generate.ts', () => {
  it('does nothing without OPENAI_API_KEY and says so', async () => {
    const lines: string[] = [];
    const code = await runOpenAIExample({
      env: {},
      outputPath: '/nonexistent/never-written.png',
      log: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(lines).toEqual([noKeyMessage]);
  });

  it('runs as a script without a key: exit code 0 and the message', async () => {
    const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
    // runExampleScript passes only PATH besides what it is given: no key at all.
    const run = await runExampleScript(script, [], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(noKeyMessage);
  });

  it('with a key, streams a preview and writes the transparent cut-out (against a fake OpenAI API)', async () => {
    const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
    const output = join(setup.directory(), 'fox.png');
    const { code, stdout, stderr } = await runExampleScript(script, [output], {
      OPENAI_API_KEY: testApiKey,
      OPENAI_BASE_URL: setup.fake().baseURL,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const call = setup.fake().lastCall();
    expect(call.path).toBe('/v1/images/generations');
    expect(call.json()).toMatchObject({
      model: 'gpt-image-1',
      quality: 'low',
      background: 'transparent',
      size: '1024x1024',
      stream: true,
      partial_images: 1,
    });
    expect(stdout).toMatch(/^Estimated cost: \$0\.0\d+$/m);
    expect(stdout).toMatch(/^Preview: [1-9]\d* bytes/m);
    expect(stdout).toContain(`Wrote image/png to ${output}`);
    expect(stdout).not.toContain(testApiKey);
    expect([...(await readFile(output)).subarray(0, 8)]).toEqual(pngSignature);
  });
});
