// Reading the agency's employee list: a CSV parser (RFC 4180 with ; , or tab, as
// Indonesian spreadsheets export) and the SIASN-style header mapping. Cells come out as
// strings, numbers or dates, the way a spreadsheet holds them.

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

/** Finds the header row (the first of the first 10 rows with a NIP column) and maps its columns. */
export function findHeader(table: Table): { row: number; columns: Partial<Record<Column, number>> } | null {
  for (let r = 0; r < Math.min(table.length, 10); r++) {
    const columns: Partial<Record<Column, number>> = {};
    table[r].forEach((cell, index) => {
      const key = headerKey(cell);
      for (const [column, spellings] of Object.entries(HEADERS) as [Column, string[]][]) {
        if (columns[column] === undefined && spellings.includes(key)) columns[column] = index;
      }
    });
    if (columns.nip !== undefined) return { row: r, columns };
  }
  return null;
}
