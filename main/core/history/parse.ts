// Reading a SIASN-style history export (riwayat golongan, jabatan, pendidikan, pindah
// instansi, CLTN) into records: header aliases as the agency's spreadsheets spell them,
// dates in any of the forms spreadsheets hold, and every refused row named by its row
// number and reason. Pure: the caller says which NIPs exist.

import { formatIsoDate } from '../../../common/dates';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import { HISTORY_KINDS, type HistoryImportReport, type HistoryKind } from '../../../common/history';
import { normalizeNip } from '../../../common/nip';
import type { MessageKey } from '../../../common/i18n';
import type { Translate } from '../ports';
import { normalizeGolongan } from '../employees';
import { cellDate, cellText, findColumns, NIP_HEADERS, type Cell, type Table } from '../employees/table';

type Column =
  | 'nip'
  | 'idRiwayat'
  | 'golongan'
  | 'tmtGolongan'
  | 'jenisKp'
  | 'nomorSk'
  | 'tanggalSk'
  | 'jabatan'
  | 'unit'
  | 'tmtJabatan'
  | 'tingkat'
  | 'jurusan'
  | 'tahunLulus'
  | 'nomorIjazah'
  | 'instansiAsal'
  | 'instansiTujuan'
  | 'tmtPindah'
  | 'tmtCltn'
  | 'selesai'
  | 'tmt';

// Spellings compared with everything but letters and digits removed, as the employee import does.
const HEADERS: Record<Column, string[]> = {
  nip: NIP_HEADERS,
  idRiwayat: ['idriwayat', 'idrw', 'riwayatid', 'id'],
  golongan: ['golongan', 'gol', 'golru', 'golonganruang', 'pangkatgolongan', 'golonganid'],
  tmtGolongan: ['tmtgolongan', 'tmtgol', 'tmtpangkat', 'tmtkp'],
  jenisKp: ['jeniskp', 'jeniskenaikanpangkat', 'jenisnaikpangkat'],
  nomorSk: ['nomorsk', 'nosk', 'sknomor', 'nomorsurat'],
  tanggalSk: ['tanggalsk', 'tglsk', 'sktanggal'],
  jabatan: ['jabatan', 'namajabatan'],
  unit: ['unor', 'unitkerja', 'namaunor', 'unitorganisasi', 'satuankerja'],
  tmtJabatan: ['tmtjabatan', 'tmtjab'],
  tingkat: ['tingkatpendidikan', 'tktpendidikan', 'tingkat', 'jenjang', 'jenjangpendidikan'],
  jurusan: ['jurusan', 'pendidikan', 'namapendidikan', 'namasekolah', 'sekolah', 'programstudi'],
  tahunLulus: ['tahunlulus', 'thnlulus', 'lulus'],
  nomorIjazah: ['nomorijazah', 'noijazah'],
  instansiAsal: ['instansiasal', 'asalinstansi'],
  instansiTujuan: ['instansitujuan', 'instansibaru', 'tujuaninstansi'],
  tmtPindah: ['tmtpindah', 'tmtpindahinstansi', 'tmtmutasi'],
  tmtCltn: ['tmtcltn', 'tanggalmulai', 'tglmulai', 'mulaicltn'],
  selesai: ['tanggalselesai', 'tglselesai', 'selesaicltn', 'tmtselesai'],
  tmt: ['tmt'],
};

/** How the messages name a column: as SIASN heads it. */
const LABEL: Record<Column, string> = {
  nip: 'NIP',
  idRiwayat: 'ID RIWAYAT',
  golongan: 'GOLONGAN',
  tmtGolongan: 'TMT GOLONGAN',
  jenisKp: 'JENIS KP',
  nomorSk: 'NOMOR SK',
  tanggalSk: 'TANGGAL SK',
  jabatan: 'JABATAN',
  unit: 'UNOR',
  tmtJabatan: 'TMT JABATAN',
  tingkat: 'TINGKAT PENDIDIKAN',
  jurusan: 'JURUSAN',
  tahunLulus: 'TAHUN LULUS',
  nomorIjazah: 'NOMOR IJAZAH',
  instansiAsal: 'INSTANSI ASAL',
  instansiTujuan: 'INSTANSI TUJUAN',
  tmtPindah: 'TMT PINDAH',
  tmtCltn: 'TMT CLTN',
  selesai: 'TANGGAL SELESAI',
  tmt: 'TMT',
};

/** Columns only one kind's export has: the kind is detected from them when not given. */
const DISTINCTIVE: Record<HistoryKind, Column[]> = {
  golongan: ['tmtGolongan', 'jenisKp'],
  jabatan: ['tmtJabatan'],
  pendidikan: ['tingkat', 'tahunLulus', 'nomorIjazah'],
  pindah_instansi: ['instansiAsal', 'instansiTujuan', 'tmtPindah'],
  cltn: ['tmtCltn', 'selesai'],
};

/** Each kind's start date column (the generic TMT stands in for it). */
const DATE_COLUMN: Partial<Record<HistoryKind, Column>> = { golongan: 'tmtGolongan', jabatan: 'tmtJabatan', pindah_instansi: 'tmtPindah', cltn: 'tmtCltn' };

/** One record as stored (migration 016), without its id and import stamp. */
export interface HistoryRow {
  nip: string;
  kind: HistoryKind;
  record_key: string;
  id_riwayat: string | null;
  golongan: string | null;
  jenis_kp: string | null;
  jabatan: string | null;
  unit: string | null;
  tingkat: string | null;
  jurusan: string | null;
  tahun_lulus: number | null;
  nomor_ijazah: string | null;
  instansi_asal: string | null;
  instansi_tujuan: string | null;
  tmt: string | null;
  selesai: string | null;
  nomor_sk: string | null;
  tanggal_sk: string | null;
}

export const HISTORY_FIELDS = ['id_riwayat', 'golongan', 'jenis_kp', 'jabatan', 'unit', 'tingkat', 'jurusan', 'tahun_lulus', 'nomor_ijazah', 'instansi_asal', 'instansi_tujuan', 'tmt', 'selesai', 'nomor_sk', 'tanggal_sk'] as const;

// Spellings of the education levels in SIASN and agency sheets, compacted as headers are.
const TINGKAT: Record<string, string> = {
  DI: 'D1', DIPLOMAI: 'D1', DII: 'D2', DIPLOMAII: 'D2', DIII: 'D3', DIPLOMAIII: 'D3', DIV: 'D4', DIPLOMAIV: 'D4',
  STRATA1: 'S1', STRATAI: 'S1', SARJANA: 'S1', STRATA2: 'S2', STRATAII: 'S2', MAGISTER: 'S2', PASCASARJANA: 'S2',
  STRATA3: 'S3', STRATAIII: 'S3', DOKTOR: 'S3', SMA: 'SLTA', SMU: 'SLTA', SMK: 'SLTA', SLTA: 'SLTA', SMP: 'SLTP', SLTP: 'SLTP',
};

/** The education level as a short code (S1, D3, SLTA); unknown spellings kept, compacted. */
export function normalizeTingkat(value: string): string {
  const compact = value.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return TINGKAT[compact] ?? compact;
}

/**
 * A record's key without SIASN's id: the kind's own date (TMT, or for education the level
 * and year), so a corrected SK number updates the record instead of adding one.
 */
export function naturalKey(record: Pick<HistoryRow, 'kind' | 'tingkat' | 'tahun_lulus' | 'tmt'>): string {
  return record.kind === 'pendidikan' ? `${record.tingkat}|${record.tahun_lulus ?? ''}` : `tmt:${record.tmt}`;
}

function orNull(value: string): string | null {
  return value === '' ? null : value;
}

/** The kind from the export's columns: the one kind whose own columns are there, else by JABATAN or GOLONGAN. */
function detectKind(columns: Partial<Record<Column, number>>): HistoryKind | null {
  const has = (column: Column) => columns[column] !== undefined;
  const matches = HISTORY_KINDS.filter((kind) => DISTINCTIVE[kind].some(has));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) return null;
  if (has('jabatan')) return 'jabatan';
  if (has('golongan')) return 'golongan';
  return null;
}

export interface ParseDeps {
  translate: Translate;
  reference: Pick<ReferenceData, 'golongan'>;
  /** Whether the NIP is in the employee list. */
  knownNip: (nip: string) => boolean;
}

export function historyRowsFromTable(table: Table, requested: HistoryKind | undefined, deps: ParseDeps): { kind: HistoryKind; rows: HistoryRow[]; rejected: HistoryImportReport['rejected'] } {
  const { translate } = deps;
  const header = findColumns(table, HEADERS);
  const present = () => (table[0] ?? []).map((c) => cellText(c)).filter(Boolean).join(', ') || '-';
  if (!header) throw new AppError('invalid_input', translate('employees.no_nip_column', { columns: present() }));
  const kind = requested ?? detectKind(header.columns);
  if (!kind) throw new AppError('invalid_input', translate('history.no_kind', { columns: table[header.row].map((c) => cellText(c)).filter(Boolean).join(', ') }));
  const golongan = new Set(deps.reference.golongan.map((g) => g.code));
  const rows: HistoryRow[] = [];
  const rejected: HistoryImportReport['rejected'] = [];
  const firstRowOf = new Map<string, number>();

  for (let r = header.row + 1; r < table.length; r++) {
    const values = table[r];
    const row = r + 1; // as the spreadsheet numbers it
    if (values.every((v) => cellText(v) === '')) continue;
    const cell = (column: Column): Cell | undefined => (header.columns[column] === undefined ? undefined : values[header.columns[column]!]);
    const text = (column: Column) => cellText(cell(column));
    const reject = (nip: string | null, key: MessageKey, params: Record<string, string | number> = {}) => rejected.push({ row, nip, message: translate(key, { row, ...params }) });

    if (typeof cell('nip') === 'number') {
      reject(null, 'employees.row_nip_number');
      continue;
    }
    const nip = normalizeNip(text('nip'));
    if (nip === '') {
      reject(null, 'employees.row_missing_nip');
      continue;
    }
    if (!deps.knownNip(nip)) {
      reject(nip, 'history.row_unknown_nip', { nip });
      continue;
    }
    /** A date column: null when empty, undefined (after rejecting the row) when not a date. */
    const date = (column: Column): string | null | undefined => {
      if (text(column) === '') return null;
      const parsed = cellDate(cell(column));
      if (parsed) return formatIsoDate(parsed);
      reject(nip, 'history.row_bad_date', { column: LABEL[column], value: text(column) });
      return undefined;
    };
    const required = (column: Column, value: string | null | undefined): boolean => {
      if (value === undefined) return false;
      if (value !== null && value !== '') return true;
      reject(nip, 'history.row_missing', { column: LABEL[column] });
      return false;
    };

    const record: HistoryRow = {
      nip, kind, record_key: '', id_riwayat: orNull(text('idRiwayat')),
      golongan: null, jenis_kp: null, jabatan: null, unit: null, tingkat: null, jurusan: null, tahun_lulus: null, nomor_ijazah: null,
      instansi_asal: null, instansi_tujuan: null, tmt: null, selesai: null, nomor_sk: orNull(text('nomorSk')), tanggal_sk: null,
    };
    const tanggalSk = date('tanggalSk');
    if (tanggalSk === undefined) continue;
    record.tanggal_sk = tanggalSk;

    const dateColumn = DATE_COLUMN[kind];
    if (dateColumn) {
      const tmt = date(header.columns[dateColumn] === undefined && header.columns.tmt !== undefined ? 'tmt' : dateColumn);
      if (!required(dateColumn, tmt)) continue;
      record.tmt = tmt!;
    }
    if (kind === 'golongan') {
      const raw = text('golongan');
      if (!required('golongan', raw)) continue;
      const code = normalizeGolongan(raw, deps.reference);
      if (code === null || !golongan.has(code)) {
        reject(nip, 'history.row_golongan', { value: raw });
        continue;
      }
      record.golongan = code;
      record.jenis_kp = orNull(text('jenisKp'));
    } else if (kind === 'jabatan') {
      record.jabatan = text('jabatan');
      if (!required('jabatan', record.jabatan)) continue;
      record.unit = orNull(text('unit'));
    } else if (kind === 'pendidikan') {
      const tingkat = text('tingkat');
      if (!required('tingkat', tingkat)) continue;
      record.tingkat = normalizeTingkat(tingkat);
      const year = text('tahunLulus');
      if (year !== '' && !/^(19|2\d)\d\d$/.test(year)) {
        reject(nip, 'history.row_bad_year', { value: year });
        continue;
      }
      record.tahun_lulus = year === '' ? null : Number(year);
      record.jurusan = orNull(text('jurusan'));
      record.nomor_ijazah = orNull(text('nomorIjazah'));
    } else if (kind === 'pindah_instansi') {
      record.instansi_asal = orNull(text('instansiAsal'));
      record.instansi_tujuan = orNull(text('instansiTujuan'));
    } else {
      const selesai = date('selesai');
      if (selesai === undefined) continue;
      record.selesai = selesai;
    }
    record.record_key = record.id_riwayat !== null ? `id:${record.id_riwayat}` : naturalKey(record);
    const first = firstRowOf.get(`${nip} ${record.record_key}`);
    if (first !== undefined) {
      reject(nip, 'history.row_duplicate', { first });
      continue;
    }
    firstRowOf.set(`${nip} ${record.record_key}`, row);
    rows.push(record);
  }
  return { kind, rows, rejected };
}
