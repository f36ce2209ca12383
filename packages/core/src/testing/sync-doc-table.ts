import { readFile, writeFile } from 'node:fs/promises';
import { ValidationError } from '../errors/validation-error.js';

/** One row of a table a test produces for the docs, e.g. a fault and what the adapter did. */
export type DocTableRow = Readonly<Record<string, string>>;

/** What {@link syncDocTable} found. */
export interface DocTableCheck {
  /** Whether the doc already held this table (alignment aside). */
  readonly upToDate: boolean;
  /** Whether the doc was rewritten (only with `LAYERLOOM_UPDATE_DOCS=1`). */
  readonly written: boolean;
  /** The table as the test produced it. */
  readonly expected: string;
  /** The table the doc holds between the markers. */
  readonly actual: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Characters as a Markdown formatter counts them (code points, not UTF-16 units). */
const width = (text: string) => [...text].length;

/**
 * A Markdown table with the padding a formatter adds taken out: every cell trimmed, every
 * separator cell `---`. Two tables that differ only in alignment normalise to the same text.
 */
const normaliseTable = (table: string) =>
  table
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/(?<!\\)\|/)
        .map((part) => {
          const trimmed = part.trim();
          return /^:?-+:?$/.test(trimmed) ? '---' : trimmed;
        })
        .join('|'),
    )
    .join('\n');

/**
 * Formats rows as a Markdown table, columns in the order of the first row's keys, each column
 * padded to its widest cell — the layout a Markdown formatter (Biome) gives it, so that a doc
 * holding the table passes the formatter's check.
 *
 * @param rows - the rows (at least one).
 */
export function formatDocTable(rows: readonly DocTableRow[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const body = rows.map((row) => columns.map((column) => cell(row[column] ?? '')));
  const header = columns.map(cell);
  const widths = columns.map((_, index) =>
    Math.max(3, ...[header, ...body].map((values) => width(values[index]!))),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, index) => value + ' '.repeat(widths[index]! - width(value))).join(' | ')} |`;
  return [line(header), line(widths.map((size) => '-'.repeat(size))), ...body.map(line)].join('\n');
}

/**
 * Keeps a table in a Markdown doc equal to what a test produced: the doc holds it between
 * `<!-- NAME:begin -->` and `<!-- NAME:end -->`. With `LAYERLOOM_UPDATE_DOCS=1` in the
 * environment the doc is rewritten; otherwise the test asserts `upToDate`. Use it for tables
 * that must say what the code does, such as an adapter's fault matrix. Cell padding is not
 * compared, so the table may be aligned by a formatter (`biome check --write`) after writing.
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
  const upToDate = normaliseTable(actual) === normaliseTable(expected);
  const write = !upToDate && process.env.LAYERLOOM_UPDATE_DOCS === '1';
  if (write) {
    await writeFile(
      docPath,
      `${text.slice(0, from + begin.length)}\n${expected}\n${text.slice(to)}`,
    );
  }
  return { upToDate, written: write, expected, actual };
}
