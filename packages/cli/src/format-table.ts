/**
 * Formats rows as a plain-text table with aligned columns (no colour codes, so it reads the
 * same in a terminal and in a CI log).
 *
 * @param header - column titles.
 * @param rows - cells, as strings.
 * @param alignRight - indexes of columns to right-align (numbers).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignRight: readonly number[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max([...title].length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const padding = ' '.repeat(Math.max(0, widths[column]! - [...cell].length));
        return alignRight.includes(column) ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}
