/** Renders rows as kubectl does: left-aligned columns separated by three spaces, header in capitals. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [formatRow(headers, widths), ...rows.map((row) => formatRow(row, widths))].join('\n');
}

/** One table line with every cell but the last padded to its column width. */
export function formatRow(cells: string[], widths: number[]): string {
  return cells
    .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + 3)))
    .join('')
    .trimEnd();
}
