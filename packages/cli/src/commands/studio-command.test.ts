import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStudioPage } from '../../test/build-studio-page.js';
import { captureIo } from '../../test/capture-io.js';
import type { StudioHandle } from '../studio/start-studio.js';
import { studioCommand } from './studio-command.js';

let project: string;
let assetsDirectory: string;
beforeAll(async () => {
  assetsDirectory = await buildStudioPage();
  project = mkdtempSync(join(tmpdir(), 'layerloom-studio-command-'));
  copyFileSync(
    fileURLToPath(new URL('../../../../examples/seed.loom', import.meta.url)),
    join(project, 'seed.loom'),
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

async function run(host: string | undefined) {
  const io = captureIo({ cwd: project });
  const controller = new AbortController();
  let studio: StudioHandle | undefined;
  let pageStatus = 0;
  const code = await studioCommand(
    'seed.loom',
    {
      host,
      open: false,
      signal: controller.signal,
      assetsDirectory,
      onListening: async (handle) => {
        studio = handle;
        pageStatus = (await fetch(handle.url, { redirect: 'manual' })).status;
        controller.abort();
      },
    },
    io,
  );
  return { code, io, studio: studio!, pageStatus };
}

describe('layerloom studio', () => {
  it('prints the URL with the token, serves the page on 127.0.0.1 and stops on the signal', async () => {
    const { code, io, studio, pageStatus } = await run(undefined);
    expect(code).toBe(0);
    expect(pageStatus).toBe(303);
    const { stdout, stderr } = io.text();
    expect(stdout).toBe(`Layerloom Studio: ${studio.url}\n`);
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    expect(stderr).toContain('offline preview provider');
    expect(stderr).not.toContain('warning: listening');
    await expect(fetch(studio.origin)).rejects.toThrow();
  });

  it('warns when --host is not a loopback interface', async () => {
    const { code, io } = await run('0.0.0.0');
    expect(code).toBe(0);
    expect(io.text().stderr).toContain('warning: listening on 0.0.0.0, not only on this machine');
  });
});
