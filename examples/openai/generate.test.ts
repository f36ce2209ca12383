import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noKeyMessage, runOpenAIExample } from './generate.js';

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

  it('runs as a script without a key: exit code 0 and the message', () => {
    const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(noKeyMessage);
  });
});
