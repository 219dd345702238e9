// Employee history (riwayat, issue 7): importing the SIASN history exports per kind into
// employee_history (migration 016) and reading one employee's records. A re-import updates
// by record key (SIASN's id_riwayat, else the kind's date; a record first imported without
// the id is found by its date when it comes again with one) and never duplicates; valid rows land in one audited transaction whose audit
// entry carries counts only, never the personal data. The completeness rules count
// expected documents from these records (main/core/completeness).

import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import type { HistoryImportReport, HistoryKind, HistoryRecord } from '../../../common/history';
import type { Db } from '../../infra/db';
import { writeTransaction, type AuditLog } from '../audit';
import { readImportTable } from '../employees';
import type { Table } from '../employees/table';
import type { Actor, Clock, Translate } from '../ports';
import { HISTORY_FIELDS, historyRowsFromTable, naturalKey, type HistoryRow } from './parse';

export interface HistoryDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  reference: () => Pick<ReferenceData, 'golongan'>;
  readTable: (path: string, name: string) => Promise<Table | null>;
  audit: AuditLog;
}

interface StoredRow extends HistoryRow {
  id: number;
  imported_at: string;
  imported_by: string;
}

export function historyRecordFrom(row: StoredRow): HistoryRecord {
  return {
    id: row.id,
    nip: row.nip,
    kind: row.kind,
    idRiwayat: row.id_riwayat,
    golongan: row.golongan,
    jenisKp: row.jenis_kp,
    jabatan: row.jabatan,
    unit: row.unit,
    tingkat: row.tingkat,
    jurusan: row.jurusan,
    tahunLulus: row.tahun_lulus,
    nomorIjazah: row.nomor_ijazah,
    instansiAsal: row.instansi_asal,
    instansiTujuan: row.instansi_tujuan,
    tmt: row.tmt,
    selesai: row.selesai,
    nomorSk: row.nomor_sk,
    tanggalSk: row.tanggal_sk,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}

/** One employee's records, oldest first within a kind (the entry rank first). */
export function historyOf(db: Db, nip: string): HistoryRecord[] {
  const rows = db.prepare(`SELECT * FROM employee_history WHERE nip = ? ORDER BY kind, coalesce(tmt, printf('%04d', tahun_lulus)), id`).all(nip) as StoredRow[];
  return rows.map(historyRecordFrom);
}

export function createHistory(deps: HistoryDeps) {
  const { db, translate } = deps;
  const employeeExists = db.prepare('SELECT 1 FROM employees WHERE nip = ?');
  const selectByKey = db.prepare('SELECT * FROM employee_history WHERE nip = ? AND kind = ? AND record_key = ?');
  const insert = db.prepare(`
    INSERT INTO employee_history (nip, kind, record_key, ${HISTORY_FIELDS.join(', ')}, imported_at, imported_by)
    VALUES (@nip, @kind, @record_key, ${HISTORY_FIELDS.map((f) => `@${f}`).join(', ')}, @imported_at, @imported_by)`);
  // A record first imported without SIASN's id (an agency sheet), then from SIASN with it.
  const selectWithoutId = db.prepare('SELECT * FROM employee_history WHERE nip = ? AND kind = ? AND record_key = ? AND id_riwayat IS NULL');
  const update = db.prepare(`
    UPDATE employee_history SET record_key = @record_key, ${HISTORY_FIELDS.map((f) => `${f} = @${f}`).join(', ')}, imported_at = @imported_at, imported_by = @imported_by
    WHERE id = @id`);

  function importTable(table: Table, kind: HistoryKind | undefined, actor: Actor, source: string): HistoryImportReport {
    const parsed = historyRowsFromTable(table, kind, { translate, reference: deps.reference(), knownNip: (nip) => employeeExists.get(nip) !== undefined });
    const stamp = { imported_at: deps.clock.now().toISOString(), imported_by: actor.id };
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    writeTransaction(db, () => {
      for (const row of parsed.rows) {
        const existing = (selectByKey.get(row.nip, row.kind, row.record_key) ?? (row.id_riwayat === null ? undefined : selectWithoutId.get(row.nip, row.kind, naturalKey(row)))) as StoredRow | undefined;
        if (!existing) {
          insert.run({ ...row, ...stamp });
          inserted++;
        } else if (HISTORY_FIELDS.every((field) => existing[field] === row[field])) unchanged++;
        else {
          update.run({ ...row, ...stamp, id: existing.id });
          updated++;
        }
      }
      deps.audit.append({ actor: actor.id, action: 'employees.history_imported', detail: { source, kind: parsed.kind, inserted, updated, unchanged, rejected: parsed.rejected.length } });
    });
    return { kind: parsed.kind, inserted, updated, unchanged, rejected: parsed.rejected };
  }

  return {
    importTable,

    async importFile(path: string, name: string, kind: HistoryKind | undefined, actor: Actor): Promise<HistoryImportReport> {
      const table = await readImportTable(deps.readTable, path, name, () => translate('history.unsupported'), (reason) => translate('history.unreadable', { reason }));
      return importTable(table, kind, actor, name);
    },

    list(nip: string): HistoryRecord[] {
      if (employeeExists.get(nip) === undefined) throw new AppError('not_found', translate('employees.not_found', { nip }));
      return historyOf(db, nip);
    },
  };
}

export type HistoryService = ReturnType<typeof createHistory>;
export { labelFieldsOf, recordOfSheetRef, sheetRefOf } from './sheets';
