// Employees (pegawai): importing the agency's list, finding people, and the per-employee
// folder of documents. A re-import updates by NIP and never duplicates; every rejected
// row says which row and why, and the valid rows still import.

import type { DocumentSummary, Employee, EmployeeImportReport } from '../../../common/contract';
import { parseLooseDate, formatIsoDate, todayOf, type CalendarDate } from '../../../common/dates';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { checkNip, normalizeNip, type EmployeeKind, type NipProblem } from '../../../common/nip';
import type { Db } from '../../infra/db';
import { Where } from '../../infra/db/where';
import { writeTransaction, type AuditLog } from '../audit';
import { ftsQuery } from '../search';
import { DOCUMENT_SUMMARY_COLUMNS, documentSummaryFrom, type DocumentRow } from '../documents/rows';
import type { Actor, Clock, Translate } from '../ports';
import { cellText, findHeader, type Cell, type Column, type Table } from './table';

export interface EmployeesDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  reference: () => ReferenceData;
  readTable: (path: string, name: string) => Promise<Table | null>;
  audit: AuditLog;
}

interface EmployeeRow {
  nip: string;
  kind: EmployeeKind;
  nama: string;
  tempat_lahir: string | null;
  tanggal_lahir: string | null;
  golongan: string | null;
  jabatan: string | null;
  unit_kerja: string | null;
  kedudukan_hukum: string | null;
  updated_at: string;
}

const COMPARED = ['kind', 'nama', 'tempat_lahir', 'tanggal_lahir', 'golongan', 'jabatan', 'unit_kerja', 'kedudukan_hukum'] as const;

export function employeeFrom(row: EmployeeRow): Employee {
  return {
    nip: row.nip,
    kind: row.kind,
    nama: row.nama,
    tempatLahir: row.tempat_lahir,
    tanggalLahir: row.tanggal_lahir,
    golongan: row.golongan,
    jabatan: row.jabatan,
    unitKerja: row.unit_kerja,
    kedudukanHukum: row.kedudukan_hukum,
    updatedAt: row.updated_at,
  };
}

const text = cellText;

function orNull(value: string): string | null {
  return value === '' ? null : value;
}

export function nipProblemMessage(problem: NipProblem, translate: Translate): string {
  const { reason, ...params } = problem;
  return translate(`nip.${reason}`, params as Record<string, string | number>);
}

/** Maps the forms golongan is written in (III/a, iii-a, 3a, SIASN id 31) to the reference code. */
export function normalizeGolongan(value: string, reference: Pick<ReferenceData, 'golongan'>): string | null {
  if (value === '') return null;
  const compact = value.toUpperCase().replace(/[\s\-./]/g, '');
  for (const g of reference.golongan) {
    if (g.code.replace('/', '').toUpperCase() === compact || (g.id !== null && String(g.id) === value)) return g.code;
  }
  const digit = /^([1-4])([A-E])$/.exec(compact);
  if (digit) {
    const roman = ['I', 'II', 'III', 'IV'][Number(digit[1]) - 1];
    return reference.golongan.find((g) => g.code === `${roman}/${digit[2].toLowerCase()}`)?.code ?? value;
  }
  return value;
}

/**
 * Reads an imported spreadsheet, or throws the import's own message: `unsupported` for a
 * file that is neither CSV nor XLSX, `unreadable` (with the reader's reason) for a broken one.
 */
export async function readImportTable(
  readTable: (path: string, name: string) => Promise<Table | null>,
  path: string,
  name: string,
  unsupported: () => string,
  unreadable: (reason: string) => string,
): Promise<Table> {
  let table: Table | null;
  try {
    table = await readTable(path, name);
  } catch (error) {
    throw new AppError('invalid_input', unreadable((error as Error).message));
  }
  if (!table) throw new AppError('unsupported', unsupported());
  return table;
}

export function createEmployees(deps: EmployeesDeps) {
  const { db, translate } = deps;

  function rowsFromTable(table: Table, today: CalendarDate): { rows: EmployeeRow[]; rejected: EmployeeImportReport['rejected'] } {
    const header = findHeader(table);
    if (!header) {
      const columns = (table[0] ?? []).map(text).filter(Boolean).join(', ') || '-';
      throw new AppError('invalid_input', translate('employees.no_nip_column', { columns }));
    }
    const reference = deps.reference();
    const kedudukan = new Map(reference.kedudukanHukum.flatMap((k) => [[k.code, k.code], [k.name.toLowerCase(), k.code]]));
    const rows: EmployeeRow[] = [];
    const rejected: EmployeeImportReport['rejected'] = [];
    const firstRowOf = new Map<string, number>();
    const now = deps.clock.now().toISOString();
    const cell = (values: Cell[], column: Column) => (header.columns[column] === undefined ? undefined : values[header.columns[column]!]);

    for (let r = header.row + 1; r < table.length; r++) {
      const values = table[r];
      const row = r + 1; // as the spreadsheet numbers it
      if (values.every((v) => text(v) === '')) continue;
      const rawNip = cell(values, 'nip');
      if (typeof rawNip === 'number') {
        rejected.push({ row, nip: null, message: translate('employees.row_nip_number', { row }) });
        continue;
      }
      const nipText = normalizeNip(text(rawNip));
      if (nipText === '') {
        rejected.push({ row, nip: null, message: translate('employees.row_missing_nip', { row }) });
        continue;
      }
      const kind: EmployeeKind = /pppk/i.test(text(cell(values, 'jenisPegawai'))) ? 'pppk' : 'pns';
      const check = checkNip(nipText, kind, today);
      if (!check.ok) {
        rejected.push({ row, nip: nipText, message: translate('employees.row_invalid_nip', { row, reason: nipProblemMessage(check.problem, translate) }) });
        continue;
      }
      const nama = text(cell(values, 'nama'));
      if (nama === '') {
        rejected.push({ row, nip: check.nip, message: translate('employees.row_missing_nama', { row }) });
        continue;
      }
      let tempatLahir = text(cell(values, 'tempatLahir'));
      let tanggalText = text(cell(values, 'tanggalLahir'));
      const ttl = text(cell(values, 'tempatTanggalLahir'));
      if (ttl !== '' && tanggalText === '') {
        const comma = ttl.lastIndexOf(',');
        tempatLahir ||= comma >= 0 ? ttl.slice(0, comma).trim() : '';
        tanggalText = comma >= 0 ? ttl.slice(comma + 1).trim() : ttl;
      }
      const birthInNip = formatIsoDate(check.parts.birth);
      if (tanggalText !== '') {
        const parsed = parseLooseDate(tanggalText);
        if (!parsed || formatIsoDate(parsed) !== birthInNip) {
          rejected.push({ row, nip: check.nip, message: translate('employees.row_birth_mismatch', { row, value: tanggalText }) });
          continue;
        }
      }
      let kedudukanCode: string | null = null;
      const kedudukanText = text(cell(values, 'kedudukanHukum'));
      if (kedudukanText !== '') {
        const key = /^\d{1,2}$/.test(kedudukanText) ? kedudukanText.padStart(2, '0') : kedudukanText.toLowerCase();
        kedudukanCode = kedudukan.get(key) ?? null;
        if (!kedudukanCode) {
          rejected.push({ row, nip: check.nip, message: translate('employees.row_kedudukan', { row, value: kedudukanText }) });
          continue;
        }
      }
      const first = firstRowOf.get(check.nip);
      if (first !== undefined) {
        rejected.push({ row, nip: check.nip, message: translate('employees.row_duplicate', { row, nip: check.nip, first }) });
        continue;
      }
      firstRowOf.set(check.nip, row);
      rows.push({
        nip: check.nip,
        kind,
        nama,
        tempat_lahir: orNull(tempatLahir),
        tanggal_lahir: birthInNip,
        golongan: normalizeGolongan(text(cell(values, 'golongan')), reference),
        jabatan: orNull(text(cell(values, 'jabatan'))),
        unit_kerja: orNull(text(cell(values, 'unitKerja'))),
        kedudukan_hukum: kedudukanCode,
        updated_at: now,
      });
    }
    return { rows, rejected };
  }

  const selectByNip = db.prepare('SELECT * FROM employees WHERE nip = ?');
  const upsert = db.prepare(`
    INSERT INTO employees (nip, kind, nama, tempat_lahir, tanggal_lahir, golongan, jabatan, unit_kerja, kedudukan_hukum, updated_at)
    VALUES (@nip, @kind, @nama, @tempat_lahir, @tanggal_lahir, @golongan, @jabatan, @unit_kerja, @kedudukan_hukum, @updated_at)
    ON CONFLICT (nip) DO UPDATE SET kind = excluded.kind, nama = excluded.nama, tempat_lahir = excluded.tempat_lahir,
      tanggal_lahir = excluded.tanggal_lahir, golongan = excluded.golongan, jabatan = excluded.jabatan,
      unit_kerja = excluded.unit_kerja, kedudukan_hukum = excluded.kedudukan_hukum, updated_at = excluded.updated_at`);

  function importTable(table: Table, actor: Actor, source: string): EmployeeImportReport {
    const { rows, rejected } = rowsFromTable(table, todayOf(deps.clock.now()));
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    writeTransaction(db, () => {
      for (const row of rows) {
        const existing = selectByNip.get(row.nip) as EmployeeRow | undefined;
        if (!existing) inserted++;
        else if (COMPARED.every((key) => existing[key] === row[key])) {
          unchanged++;
          continue;
        } else updated++;
        upsert.run(row);
      }
      deps.audit.append({ actor: actor.id, action: 'employees.imported', detail: { source, inserted, updated, unchanged, rejected: rejected.length } });
    });
    return { inserted, updated, unchanged, rejected };
  }

  return {
    importTable,

    async importFile(path: string, name: string, actor: Actor): Promise<EmployeeImportReport> {
      const table = await readImportTable(deps.readTable, path, name, () => translate('employees.unsupported'), (reason) => translate('employees.unreadable', { reason }));
      return importTable(table, actor, name);
    },

    search(input: { text: string; unitKerja?: string; limit: number; offset: number }): { items: Employee[]; total: number } {
      const match = ftsQuery(input.text);
      const from = match ? 'employees_fts f JOIN employees e ON e.id = f.rowid' : 'employees e';
      const { clause, params } = new Where().add('employees_fts MATCH ?', match).add('e.unit_kerja = ?', input.unitKerja);
      const order = match ? 'ORDER BY f.rank' : 'ORDER BY e.nama';
      const items = db.prepare(`SELECT e.* FROM ${from} ${clause} ${order} LIMIT ? OFFSET ?`).all(...params, input.limit, input.offset) as EmployeeRow[];
      const total = (db.prepare(`SELECT count(*) AS n FROM ${from} ${clause}`).get(...params) as { n: number }).n;
      return { items: items.map(employeeFrom), total };
    },

    get(nip: string): { employee: Employee; documents: DocumentSummary[] } {
      const row = selectByNip.get(nip) as EmployeeRow | undefined;
      if (!row) throw new AppError('not_found', translate('employees.not_found', { nip }));
      // The folder view: every document held, grouped by type, oldest first within a type.
      const documents = db
        .prepare(`SELECT ${DOCUMENT_SUMMARY_COLUMNS} FROM documents d LEFT JOIN employees e ON e.nip = d.nip WHERE d.nip = ? ORDER BY d.type_code, d.tanggal IS NULL, d.tanggal, d.id`)
        .all(nip) as DocumentRow[];
      return { employee: employeeFrom(row), documents: documents.map(documentSummaryFrom) };
    },

    units(): string[] {
      return (db.prepare('SELECT DISTINCT unit_kerja AS u FROM employees WHERE unit_kerja IS NOT NULL ORDER BY u').all() as { u: string }[]).map((r) => r.u);
    },
  };
}

export type EmployeesService = ReturnType<typeof createEmployees>;
export { parseCsv } from './table';
