import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeComfyUI,
  type FakeComfyUI,
  graphRun,
} from '../../packages/provider-sd/test/fake-comfyui-server.js';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'comfyui-modern-graph.ts');
const root = join(import.meta.dirname, '..', '..');
let directory: string;
let server: FakeComfyUI;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'layerloom-comfyui-modern-'));
  server = await createFakeComfyUI({
    run: (current) => graphRun(current, { output: server.output, preview: server.preview }),
  });
});
afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('examples/sd/comfyui-modern-graph.ts', () => {
  it('infers the Flux mapping, paints, and takes the image from the WebSocket', async () => {
    const output = join(directory, 'flux.png');
    const { COMFYUI_WORKFLOW: _workflow, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...env, COMFYUI_URL: server.url, COMFYUI_OUTPUT: output },
    });
    expect(stdout).toContain('"seed":"9.noise_seed"');
    expect(stdout).toContain('progress 100%');
    expect(stdout).toContain('via {"via":"websocket","node":"13"}');
    expect(new Uint8Array(await readFile(output))).toEqual(server.output);
    expect(server.runs[0]!.prompt['13']!.class_type).toBe('SaveImageWebsocket');
    expect(server.calls()).toEqual(['POST /prompt']);
  });
});
