import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePng } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { testApiKey } from '../../packages/provider-openai/src/fixtures/openai-responses.js';
import { runExampleScript } from '../run-example-script.js';
import { useFakeOpenAI } from './use-fake-openai.js';

const setup = useFakeOpenAI('layerloom-openai-edit-example-');

describe('examples/openai/edit-with-references.ts', () => {
  it('sends the picture and two references as image[], and the mask converted to transparent = edit', async () => {
    const script = fileURLToPath(new URL('./edit-with-references.ts', import.meta.url));
    const output = join(setup.directory(), 'edit.png');
    const { code, stdout, stderr } = await runExampleScript(script, [output], {
      OPENAI_API_KEY: testApiKey,
      OPENAI_BASE_URL: setup.fake().baseURL,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote image/png to ${output}`);
    const form = await setup.fake().lastCall().formData();
    expect(form.getAll('image[]')).toHaveLength(3);
    expect(form.get('input_fidelity')).toBe('high');
    const mask = decodePng(new Uint8Array(await (form.get('mask') as File).arrayBuffer()));
    // Row 0: the kept left half opaque, the repainted right half transparent.
    const alpha = [...mask.data].filter((_, index) => index % 4 === 3).slice(0, 64);
    expect(alpha).toEqual([...Array(32).fill(255), ...Array(32).fill(0)]);
    expect((await readFile(output)).length).toBeGreaterThan(0);
  });
});
