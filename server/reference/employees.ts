// Employees of an instansi on the server: checked as the workstation checks an imported
// row (NIP rules of the employee's kind, the birth date the NIP carries, known golongan and
// kedudukan hukum codes, a golongan of the employee's kind), upserted all or nothing, and read as a change feed.
import { formatIsoDate, type CalendarDate } from '../../common/dates';
import type { ReferenceData } from '../../common/doctypes';
import type { ChangesQuery, DmsEmployee, EmployeeInput } from '../../common/dms/reference';
import { checkNip } from '../../common/nip';
import type { Db } from '../db';
import { DmsError } from '../http/errors';
import { feedPage, feedParams, feedSql, RESTAMP, STAMP } from './feed';

const COLUMNS = ['nip', 'kind', 'nama', 'tempat_lahir', 'tanggal_lahir', 'golongan', 'jabatan', 'unit_kerja', 'kedudukan_hukum'] as const;
type EmployeeRow = Record<(typeof COLUMNS)[number], string | null> & { nip: string; kind: 'pns' | 'pppk'; nama: string };

export interface Rejected {
  index: number;
  nip: string;
  reason: string;
}

/** Checks a batch; every rejected record is named, so an admin can fix the file in one go. */
export function employeeRows(input: EmployeeInput[], reference: Pick<ReferenceData, 'golongan' | 'kedudukanHukum'>, today: CalendarDate): { rows: EmployeeRow[]; rejected: Rejected[] } {
  const golongan = { pns: new Set<string>(), pppk: new Set<string>() };
  for (const g of reference.golongan) golongan[g.kind].add(g.code);
  const kedudukan = new Set(reference.kedudukanHukum.map((k) => k.code));
  const firstIndexOf = new Map<string, number>();
  const rows: EmployeeRow[] = [];
  const rejected: Rejected[] = [];
  input.forEach((employee, index) => {
    const kind = employee.kind ?? 'pns';
    const check = checkNip(employee.nip, kind, today);
    const reject = (reason: string) => rejected.push({ index, nip: check.nip, reason });
    if (!check.ok) return reject(`nip.${check.problem.reason}`);
    const birth = formatIsoDate(check.parts.birth);
    if (employee.tanggalLahir && employee.tanggalLahir !== birth) return reject('tanggal_lahir_mismatch');
    const kedudukanHukum = employee.kedudukanHukum ? employee.kedudukanHukum.padStart(2, '0') : null;
    if (kedudukanHukum && !kedudukan.has(kedudukanHukum)) return reject('kedudukan_hukum_unknown');
    if (employee.golongan && !golongan[kind].has(employee.golongan)) return reject('golongan_unknown');
    if (firstIndexOf.has(check.nip)) return reject(`duplicate_of_${firstIndexOf.get(check.nip)}`);
    firstIndexOf.set(check.nip, index);
    rows.push({
      nip: check.nip,
      kind,
      nama: employee.nama.trim(),
      tempat_lahir: employee.tempatLahir || null,
      tanggal_lahir: birth,
      golongan: employee.golongan || null,
      jabatan: employee.jabatan || null,
      unit_kerja: employee.unitKerja || null,
      kedudukan_hukum: kedudukanHukum,
    });
  });
  return { rows, rejected };
}

export async function importEmployees(db: Db, p: { instansiId: string; userId: number; at: string }, rows: EmployeeRow[]): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const arrays = COLUMNS.map((column) => rows.map((row) => row[column]));
  const compared = COLUMNS.slice(1);
  const n = COLUMNS.length;
  // One statement: all or nothing, and an unchanged record keeps its place in the feed.
  const { rows: changed } = await db.query<{ inserted: boolean }>(
    `insert into employees (instansi_id, ${COLUMNS.join(', ')}, change_xid, change_seq, updated_at, updated_by)
     select $1, ${COLUMNS.map((c) => `r.${c}`).join(', ')}, ${STAMP}, $${n + 2}::timestamptz, $${n + 3}::bigint
       from unnest(${COLUMNS.map((_, i) => `$${i + 2}::text[]`).join(', ')}) as r(${COLUMNS.join(', ')})
     on conflict (instansi_id, nip) do update set ${compared.map((c) => `${c} = excluded.${c}`).join(', ')},
       ${RESTAMP}, updated_at = excluded.updated_at, updated_by = excluded.updated_by
     where (${compared.map((c) => `employees.${c}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${c}`).join(', ')})
     returning (xmax = 0) as inserted`,
    [p.instansiId, ...arrays, p.at, p.userId],
  );
  const inserted = changed.filter((row) => row.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: rows.length - changed.length };
}

export async function employeeChanges(db: Db, instansiId: string, page: ChangesQuery): Promise<{ items: DmsEmployee[]; next: string; more: boolean }> {
  // Aliased to the API's names, so a row is a DmsEmployee once its stamp is taken off.
  const { rows } = await db.query<DmsEmployee & { change_xid: string; change_seq: number }>(
    `select nip, kind, nama, tempat_lahir as "tempatLahir", tanggal_lahir as "tanggalLahir", golongan, jabatan, unit_kerja as "unitKerja",
            kedudukan_hukum as "kedudukanHukum", updated_at as "updatedAt", change_xid, change_seq
       from employees where instansi_id = $1 and ${feedSql(2)}`,
    [instansiId, ...feedParams(page)],
  );
  return feedPage(rows, page, ({ change_xid: _xid, change_seq: _seq, ...employee }) => employee);
}

export function rejectedError(rejected: Rejected[]): DmsError {
  const shown = rejected.slice(0, 100);
  return new DmsError('invalid_input', `${rejected.length} employee record(s) refused; nothing was imported. First: #${rejected[0].index} (${rejected[0].reason}).`, {
    rejected: shown,
    ...(rejected.length > shown.length ? { more: rejected.length - shown.length } : {}),
  });
}
