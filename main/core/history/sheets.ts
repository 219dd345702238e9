// A separator sheet (main/core/separators) printed for a history record carries a short
// reference to it, and a document split off at that sheet takes its label fields from the
// record. The reference is built from the record's own data (SIASN's id_riwayat, else its
// TMT or its education level and year), not from this workstation's row id, so a sheet
// printed on one workstation resolves on another that imported the same SIASN export.

import { checkFields, type DocumentType, type ReferenceData } from '../../../common/doctypes';
import type { CalendarDate } from '../../../common/dates';
import type { HistoryKind, HistoryRecord } from '../../../common/history';

const KIND_LETTER: Record<HistoryKind, string> = { golongan: 'g', jabatan: 'j', pendidikan: 'p', pindah_instansi: 'm', cltn: 'c' };
/** What a sheet's QR code may carry as its history reference (main/core/separators/format.ts). */
const REF = /^[A-Za-z0-9_-]{1,40}$/;

/** Every reference that names the record, the preferred one first: by id_riwayat, then by its natural key. */
function refsOf(record: HistoryRecord): string[] {
  const kind = KIND_LETTER[record.kind];
  const refs: string[] = [];
  if (record.idRiwayat !== null) refs.push(`${kind}i${record.idRiwayat}`);
  if (record.kind === 'pendidikan') {
    if (record.tingkat !== null) refs.push(`${kind}e${record.tingkat}-${record.tahunLulus ?? ''}`);
  } else if (record.tmt !== null) refs.push(`${kind}t${record.tmt.replaceAll('-', '')}`);
  return refs.filter((ref) => REF.test(ref));
}

/** The reference a sheet prints for the record, or undefined when the record has nothing stable to name it by. */
export function sheetRefOf(record: HistoryRecord): string | undefined {
  return refsOf(record)[0];
}

/**
 * The record a sheet's reference names among an employee's records. A sheet printed before
 * SIASN's id_riwayat arrived still names the record by its date. Two records answering to one
 * reference (a duplicate in the export) name none: the clerk fills the label instead.
 */
export function recordOfSheetRef(records: readonly HistoryRecord[], ref: string): HistoryRecord | null {
  const named = records.filter((record) => refsOf(record).includes(ref));
  return named.length === 1 ? named[0] : null;
}

/**
 * The label fields a history record fills in for a document of the type: only fields the type
 * defines, and only values the labelling rules accept (a SIASN value the form would refuse
 * is left for the clerk). The clerk still confirms them on the page before the label is saved.
 */
export function labelFieldsOf(
  record: HistoryRecord,
  type: DocumentType,
  reference: Pick<ReferenceData, 'fields' | 'golongan'>,
  today: CalendarDate,
): Record<string, string> {
  const values: Record<string, string | null> = {
    nomor: record.kind === 'pendidikan' ? record.nomorIjazah : record.nomorSk,
    tanggal: record.kind === 'pendidikan' ? null : record.tanggalSk,
    tmt: record.tmt,
    golongan: record.golongan,
    jabatan: record.jabatan,
    jenjang: record.tingkat,
    instansi_asal: record.instansiAsal,
    instansi_tujuan: record.instansiTujuan,
  };
  const fields: Record<string, string> = {};
  for (const { key } of type.fields) {
    const value = values[key]?.trim();
    if (value) fields[key] = value;
  }
  const refused = new Set(checkFields(type, fields, reference, today).map((problem) => problem.key));
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !refused.has(key)));
}
