import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDocTable, syncDocTable } from './sync-doc-table.js';

const rows = [
  { fault: '429 with Retry-After: 2', outcome: 'retried after 2 s, then painted' },
  { fault: 'a | in text', outcome: 'escaped' },
];

let directory: string | undefined;
afterEach(async () => {
  delete process.env.LAYERLOOM_UPDATE_DOCS;
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('syncDocTable', () => {
  it('formats rows as a Markdown table, escaping pipes', () => {
    expect(formatDocTable(rows)).toBe(
      [
        '| fault | outcome |',
        '| --- | --- |',
        '| 429 with Retry-After: 2 | retried after 2 s, then painted |',
        '| a \\| in text | escaped |',
      ].join('\n'),
    );
  });

  it('reports a stale table, rewrites it only when asked, then finds it up to date', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-doc-'));
    const doc = join(directory, 'provider.md');
    await writeFile(
      doc,
      '# P\n\n<!-- fault-matrix:begin -->\nold\n<!-- fault-matrix:end -->\n\nafter\n',
    );
    const stale = await syncDocTable(doc, 'fault-matrix', rows);
    expect(stale).toMatchObject({ upToDate: false, written: false, actual: 'old' });
    process.env.LAYERLOOM_UPDATE_DOCS = '1';
    expect((await syncDocTable(doc, 'fault-matrix', rows)).written).toBe(true);
    delete process.env.LAYERLOOM_UPDATE_DOCS;
    expect((await syncDocTable(doc, 'fault-matrix', rows)).upToDate).toBe(true);
    expect(await readFile(doc, 'utf8')).toContain('\n\nafter\n');
  });

  it('finds a table a formatter aligned up to date', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-doc-'));
    const doc = join(directory, 'provider.md');
    const aligned = [
      '| fault                   | outcome                         |',
      '| ----------------------- | ------------------------------- |',
      '| 429 with Retry-After: 2 | retried after 2 s, then painted |',
      '| a \\| in text            | escaped                         |',
    ].join('\n');
    await writeFile(doc, `<!-- t:begin -->\n${aligned}\n<!-- t:end -->\n`);
    expect((await syncDocTable(doc, 't', rows)).upToDate).toBe(true);
    await writeFile(
      doc,
      `<!-- t:begin -->\n${aligned.replace('escaped', 'kept')}\n<!-- t:end -->\n`,
    );
    expect((await syncDocTable(doc, 't', rows)).upToDate).toBe(false);
  });

  it('names the missing markers', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-doc-'));
    const doc = join(directory, 'provider.md');
    await writeFile(doc, '# no markers\n');
    await expect(syncDocTable(doc, 'fault-matrix', rows)).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
