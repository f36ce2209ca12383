import { readFile, writeFile } from 'node:fs/promises';
import { ValidationError } from '../errors/validation-error.js';

/** One row of a table a test produces for the docs, e.g. a fault and what the adapter did. */
export type DocTableRow = Readonly<Record<string, string>>;

/** What {@link syncDocTable} found. */
export interface DocTableCheck {
  /** Whether the doc already held exactly this table. */
  readonly upToDate: boolean;
  /** Whether the doc was rewritten (only with `LAYERLOOM_UPDATE_DOCS=1`). */
  readonly written: boolean;
  /** The table as the test produced it. */
  readonly expected: string;
  /** The table the doc holds between the markers. */
  readonly actual: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Formats rows as a Markdown table, columns in the order of the first row's keys.
 *
 * @param rows - the rows (at least one).
 */
export function formatDocTable(rows: readonly DocTableRow[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const line = (values: readonly string[]) => `| ${values.map(cell).join(' | ')} |`;
  return [
    line(columns),
    line(columns.map(() => '---')),
    ...rows.map((row) => line(columns.map((column) => row[column] ?? ''))),
  ].join('\n');
}

/**
 * A Markdown table without its alignment: no padding around cells, separator dashes shortened,
 * so that a table a formatter aligned (Biome pads every column) compares equal to the same table
 * unaligned.
 */
const withoutAlignment = (table: string) =>
  table
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---'),
    )
    .join('\n');

/**
 * Keeps a table in a Markdown doc equal to what a test produced: the doc holds it between
 * `<!-- NAME:begin -->` and `<!-- NAME:end -->`. With `LAYERLOOM_UPDATE_DOCS=1` in the
 * environment the doc is rewritten; otherwise the test asserts `upToDate`. Use it for tables
 * that must say what the code does, such as an adapter's fault matrix. The comparison ignores
 * the columns' alignment, so the doc may be run through a formatter after it is written.
 *
 * @param docPath - the Markdown file.
 * @param name - the markers' name, e.g. `fault-matrix`.
 * @param rows - the rows the test observed.
 * @returns what was found (and written).
 * @throws ValidationError when the doc has no such markers.
 */
export async function syncDocTable(
  docPath: string | URL,
  name: string,
  rows: readonly DocTableRow[],
): Promise<DocTableCheck> {
  const text = await readFile(docPath, 'utf8');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    throw ValidationError.field(
      ['docPath'],
      `Expected ${String(docPath)} to hold the markers \`${begin}\` and \`${end}\``,
      'doc table',
    );
  }
  const expected = formatDocTable(rows);
  const actual = text.slice(from + begin.length, to).trim();
  const upToDate = withoutAlignment(actual) === withoutAlignment(expected);
  const write = !upToDate && process.env.LAYERLOOM_UPDATE_DOCS === '1';
  if (write) {
    await writeFile(
      docPath,
      `${text.slice(0, from + begin.length)}\n${expected}\n${text.slice(to)}`,
    );
  }
  return { upToDate, written: write, expected, actual };
}
