/** Lines of aligned columns: every column but the last is padded to its widest cell. */
export function formatTable(rows: ReadonlyArray<readonly string[]>, indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries()) widths[index] = Math.max(widths[index] ?? 0, cell.length);
  }
  return rows.map((row) => indent + row.map((cell, index) => (index < row.length - 1 ? cell.padEnd(widths[index] ?? 0) : cell)).join("  "));
}
