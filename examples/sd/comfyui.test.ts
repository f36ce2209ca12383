import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeComfyUI,
  type FakeComfyUI,
} from '../../packages/provider-sd/test/fake-comfyui-server.js';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'comfyui.ts');
const root = join(import.meta.dirname, '..', '..');
let directory: string;
let server: FakeComfyUI;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'layerloom-comfyui-example-'));
  server = await createFakeComfyUI();
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { COMFYUI_URL: _url, COMFYUI_CHECKPOINT: _checkpoint, ...rest } = process.env;
  return { ...rest, ...extra };
}

describe('examples/sd/comfyui.ts', () => {
  it('explains itself and exits 0 without COMFYUI_URL', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: environment(),
    });
    expect(stdout).toContain('does nothing without one. Set COMFYUI_URL');
  });

  it('paints, restyles and writes both images when COMFYUI_URL points at a server', async () => {
    const output = join(directory, 'comfy.png');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: environment({ COMFYUI_URL: server.url, COMFYUI_OUTPUT: output }),
    });
    expect(stdout).toContain('progress 33%');
    expect(stdout).toContain(`preview ${server.preview.byteLength} bytes`);
    expect(stdout).toContain(`wrote ${join(directory, 'comfy-restyled.png')}`);
    expect(new Uint8Array(await readFile(output))).toEqual(server.output);
    expect(server.uploads.size).toBe(1);
    expect(server.runs).toHaveLength(2);
  });
});
