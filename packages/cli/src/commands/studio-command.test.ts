import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStudioPage } from '../../test/build-studio-page.js';
import { captureIo } from '../../test/capture-io.js';
import { startBin } from '../../test/run-bin.js';
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

  it('refuses a file outside the working directory', async () => {
    await expect(
      studioCommand(
        '../elsewhere.loom',
        { open: false, assetsDirectory },
        captureIo({ cwd: project }),
      ),
    ).rejects.toThrow(/Expected a path inside the project folder, got ".*elsewhere\.loom"/);
  });

  it('warns when --host is not a loopback interface', async () => {
    const { code, io } = await run('0.0.0.0');
    expect(code).toBe(0);
    expect(io.text().stderr).toContain('warning: listening on 0.0.0.0, not only on this machine');
  });

  it('runs as `layerloom studio seed.loom` from the sources (page built at start) and stops on Ctrl-C', async () => {
    const bin = startBin(['studio', 'seed.loom'], project);
    for (let waited = 0; !bin.output().stdout.includes('\n') && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /Layerloom Studio: (\S+)/.exec(bin.output().stdout)?.[1];
    expect(url, bin.output().stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const first = await fetch(url!, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL('/assets/studio.js', url), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('javascript');
    bin.child.kill('SIGINT');
    const { code, stderr } = await bin.done;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('Studio stopped.');
  }, 60_000);
});
