import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeA1111,
  type FakeA1111,
} from '../../packages/provider-sd/test/fake-a1111-server.js';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'a1111.ts');
const root = join(import.meta.dirname, '..', '..');
let directory: string;
let server: FakeA1111;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'layerloom-sd-example-'));
  server = await createFakeA1111({
    generationMs: 150,
    progress: [{ progress: 0.5, eta: 1, preview: null }],
  });
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

/** The environment without the example's variables. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { SD_URL: _url, SD_AUTH: _auth, SD_CHECKPOINT: _checkpoint, ...rest } = process.env;
  return { ...rest, ...extra };
}

describe('examples/sd/a1111.ts', () => {
  it('explains itself and exits 0 without SD_URL', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: environment(),
    });
    expect(stdout).toContain('does nothing without one. Set SD_URL');
  });

  it('paints and writes the image when SD_URL points at a server', async () => {
    const output = join(directory, 'a1111.png');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: environment({ SD_URL: server.url, SD_OUTPUT: output }),
    });
    expect(stdout).toContain(`wrote ${output} (seed 1234567890)`);
    expect(new Uint8Array(await readFile(output))).toEqual(server.image);
    expect(server.calls()).toContain('POST /sdapi/v1/txt2img');
  });
});
