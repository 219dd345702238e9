// Reads a spreadsheet file (CSV or XLSX) into a table of cells for the employee import.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { readSheet } from 'read-excel-file/node';
import { parseCsv, type Table } from '../core/employees/table';

export type TableFormat = 'csv' | 'xlsx';

export function tableFormatOf(name: string, head: Uint8Array): TableFormat | null {
  // XLSX is a ZIP: trust the bytes over the name, so a renamed file still reads.
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  const ext = extname(name).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  return null;
}

export async function readTable(path: string, name: string): Promise<Table | null> {
  const bytes = await readFile(path);
  const format = tableFormatOf(name, bytes.subarray(0, 4));
  if (format === 'xlsx') return (await readSheet(bytes)) as Table;
  if (format === 'csv') return parseCsv(new TextDecoder('utf-8').decode(bytes));
  return null;
}
