// Reading the agency's spreadsheets (the employee list, the history exports): a CSV parser
// (RFC 4180 with ; , or tab, as Indonesian spreadsheets export), the SIASN-style header
// mapping, and cells read as text or dates. Cells come out as strings, numbers or dates,
// the way a spreadsheet holds them.

import { formatIsoDate, isRealDate, parseLooseDate, type CalendarDate } from '../../../common/dates';

export type Cell = string | number | boolean | Date | null;
export type Table = Cell[][];

/** Parses CSV text; the delimiter is whichever of ; , or tab the first line uses most. */
export function parseCsv(text: string): Table {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const delimiter = [';', ',', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows: Table = [];
  let row: Cell[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => String(cell ?? '').trim() !== ''));
}

export type Column = 'nip' | 'nama' | 'tempatLahir' | 'tanggalLahir' | 'tempatTanggalLahir' | 'golongan' | 'jabatan' | 'unitKerja' | 'kedudukanHukum' | 'jenisPegawai';

// Header spellings seen in SIASN exports and agency spreadsheets, compared with
// everything but letters and digits removed.
const HEADERS: Record<Column, string[]> = {
  nip: ['nip', 'nipbaru', 'nip18', 'nipasn', 'nippppk', 'nipnipppk', 'nipnipppk', 'nomorindukpegawai', 'nipni'],
  nama: ['nama', 'namalengkap', 'namapegawai', 'namaasn'],
  tempatLahir: ['tempatlahir', 'tmplahir', 'tmptlahir'],
  tanggalLahir: ['tanggallahir', 'tgllahir', 'tgllhr'],
  tempatTanggalLahir: ['tempattanggallahir', 'ttl', 'tempattgllahir'],
  golongan: ['golongan', 'gol', 'golru', 'golonganruang', 'pangkatgolongan', 'golakhir', 'golonganakhir'],
  jabatan: ['jabatan', 'namajabatan', 'jabatanakhir'],
  unitKerja: ['unitkerja', 'unor', 'namaunor', 'unitorganisasi', 'satuankerja', 'satker'],
  kedudukanHukum: ['kedudukanhukum', 'kedhuk', 'kedudukan', 'kedudukanpegawai'],
  jenisPegawai: ['jenispegawai', 'jenisasn', 'statuspegawai'],
};

function headerKey(cell: Cell): string {
  return String(cell ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Finds the header row (the first of the first 10 rows with a NIP column) and maps the
 * columns whose spellings `headers` lists; shared by the employee and the history import.
 */
export function findColumns<C extends string>(table: Table, headers: Record<C | 'nip', string[]>): { row: number; columns: Partial<Record<C | 'nip', number>> } | null {
  for (let r = 0; r < Math.min(table.length, 10); r++) {
    const columns: Partial<Record<C | 'nip', number>> = {};
    table[r].forEach((cell, index) => {
      const key = headerKey(cell);
      for (const [column, spellings] of Object.entries(headers) as [C | 'nip', string[]][]) {
        if (columns[column] === undefined && spellings.includes(key)) columns[column] = index;
      }
    });
    if (columns.nip !== undefined) return { row: r, columns };
  }
  return null;
}

/** Finds the header row of an employee list and maps its columns. */
export function findHeader(table: Table): { row: number; columns: Partial<Record<Column, number>> } | null {
  return findColumns(table, HEADERS);
}

/** The NIP header spellings, for other imports keyed by NIP. */
export const NIP_HEADERS = HEADERS.nip;

/** A cell as trimmed text; a spreadsheet date as YYYY-MM-DD. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return formatIsoDate({ y: cell.getUTCFullYear(), m: cell.getUTCMonth() + 1, d: cell.getUTCDate() });
  return String(cell).trim();
}

// Excel counts days from 1899-12-30 (its phantom 29 February 1900 included); 1 to 2958465
// spans the dates Excel can show. In a CSV only five digits are taken for a serial (1927 to
// 2173), so a bare year is refused rather than read as a day of 1905.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date cell as a spreadsheet holds it: a date, an Excel serial (a number, or digits in a
 * CSV), or text as dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd. Null when it is none of these.
 */
export function cellDate(cell: Cell | undefined): CalendarDate | null {
  if (cell instanceof Date) return { y: cell.getUTCFullYear(), m: cell.getUTCMonth() + 1, d: cell.getUTCDate() };
  const serial = typeof cell === 'number' ? cell : typeof cell === 'string' && /^\d{5}$/.test(cell.trim()) ? Number(cell.trim()) : null;
  if (serial !== null) {
    if (!Number.isInteger(serial) || serial < 1 || serial > 2958465) return null;
    const date = new Date(EXCEL_EPOCH_MS + serial * 86_400_000);
    const parts = { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
    return isRealDate(parts.y, parts.m, parts.d) ? parts : null;
  }
  return parseLooseDate(cellText(cell));
}
