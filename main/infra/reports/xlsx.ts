// A report's tables as an XLSX workbook, one sheet per table, the column names as a bold
// frozen first row so the clerk can filter and sort at once. Cells are written as typed
// strings and numbers, never formulas, so "=cmd" in a name stays text.
import writeXlsxFile, { type Row, type Sheet } from 'write-excel-file/node';
import type { ReportDoc, ReportTable } from './types';

/** Excel's limit on a sheet name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;
const COLUMN_WIDTH = { min: 8, max: 60 };

/** Unique, Excel-safe sheet names from the table titles (or the report title, or Sheet n). */
function sheetNames(doc: ReportDoc): string[] {
  const used = new Set<string>();
  return doc.tables.map((table, index) => {
    const wanted = (table.title ?? (doc.tables.length === 1 ? doc.title : '')).replace(SHEET_NAME_FORBIDDEN, ' ').replace(/^'+|'+$/g, '').trim() || `Sheet ${index + 1}`;
    let name = wanted.slice(0, SHEET_NAME_MAX).trim();
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${wanted.slice(0, SHEET_NAME_MAX - String(n).length - 1).trim()} ${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function sheetOf(table: ReportTable, name: string): Sheet<Buffer> {
  const header: Row = table.columns.map((column) => ({ value: column, fontWeight: 'bold' as const }));
  const rows: Row[] = table.rows.map((row) =>
    table.columns.map((_column, i) => {
      const value = row[i];
      if (typeof value === 'number' && Number.isFinite(value)) return { value, type: Number };
      return value === null || value === undefined ? null : { value: String(value), type: String };
    }),
  );
  const widths = table.columns.map((column, i) => {
    const longest = Math.max(column.length, ...table.rows.map((row) => String(row[i] ?? '').length));
    return { width: Math.min(COLUMN_WIDTH.max, Math.max(COLUMN_WIDTH.min, longest + 2)) };
  });
  return { data: [header, ...rows], sheet: name, columns: widths, stickyRowsCount: 1 };
}

export async function renderXlsx(doc: ReportDoc): Promise<Uint8Array> {
  // A workbook needs a sheet; a report without tables still opens, with its title.
  const tables = doc.tables.length > 0 ? doc.tables : [{ columns: [doc.title], rows: [] }];
  const names = sheetNames({ ...doc, tables });
  const buffer = await writeXlsxFile(tables.map((table, i) => sheetOf(table, names[i]))).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
