// Generated employee history (migration 016) for the completeness bench: SIASN-like rank,
// position, education, transfer and CLTN records for a share of the generated employees,
// from their own random source so the employees and documents stay what they were.

import { Random } from './random';
import type { EmployeeRow } from './people';

/** Share of employees whose SIASN history the office has imported. */
export const HISTORY_SHARE = 0.6;

const RANKS = ['I/a', 'I/b', 'I/c', 'I/d', 'II/a', 'II/b', 'II/c', 'II/d', 'III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b', 'IV/c', 'IV/d', 'IV/e'];
const ENTRY: Record<string, string> = { SLTA: 'II/a', D3: 'II/c', S1: 'III/a', S2: 'III/b', S3: 'III/c' };
const JURUSAN = ['Ilmu Hukum', 'Administrasi Negara', 'Akuntansi', 'Pendidikan Guru SD', 'Keperawatan', 'Teknik Sipil', 'Manajemen', 'Kesehatan Masyarakat'];
const JABATAN = ['Pengadministrasi Umum', 'Analis Kepegawaian', 'Pranata Komputer', 'Kepala Subbagian', 'Kepala Seksi', 'Arsiparis Ahli Pertama', 'Guru Ahli Muda', 'Perawat Terampil'];

export interface HistoryInsertRow {
  nip: string;
  kind: string;
  record_key: string;
  golongan: string | null;
  jabatan: string | null;
  tingkat: string | null;
  jurusan: string | null;
  tahun_lulus: number | null;
  tmt: string | null;
  selesai: string | null;
  nomor_sk: string | null;
}

export class HistoryGenerator {
  readonly random: Random;

  constructor(seed: number) {
    this.random = new Random(seed);
  }

  /** The records of one employee; none for the share without imported history, or a PPPK. */
  records(employee: EmployeeRow): HistoryInsertRow[] {
    const r = this.random;
    if (employee.kind !== 'pns' || !r.chance(HISTORY_SHARE)) return [];
    const start = Number(employee.nip.slice(8, 12));
    const blank = { golongan: null, jabatan: null, tingkat: null, jurusan: null, tahun_lulus: null, selesai: null, nomor_sk: null };
    const rows: HistoryInsertRow[] = [];
    const add = (kind: string, tmt: string, fields: Partial<HistoryInsertRow>) => rows.push({ ...blank, nip: employee.nip, kind, tmt, record_key: `tmt:${tmt}`, ...fields });
    // Education: the level the employee entered with, sometimes a later degree.
    const entered = r.pick(['SLTA', 'D3', 'S1', 'S1', 'S1', 'S2']);
    const levels = r.chance(0.25) && entered !== 'S2' ? [entered, entered === 'S1' ? 'S2' : 'S1'] : [entered];
    levels.forEach((tingkat, i) => {
      const year = start - 1 + i * r.int(3, 8);
      rows.push({ ...blank, nip: employee.nip, kind: 'pendidikan', record_key: `${tingkat}|${year}`, tingkat, jurusan: r.pick(JURUSAN), tahun_lulus: year, tmt: null });
    });
    // Ranks from the entry rank to the current golongan, one each four years or so.
    const from = RANKS.indexOf(ENTRY[entered]);
    const to = Math.max(from, RANKS.indexOf(employee.golongan));
    for (let i = from, year = start; i <= to; i++, year += r.int(3, 5)) add('golongan', `${year}-04-01`, { golongan: RANKS[i], nomor_sk: `823/${r.int(1, 9999)}/KP/${year}` });
    for (let n = r.int(1, 3), year = start + 1; n > 0; n--, year += r.int(2, 6)) add('jabatan', `${year}-01-02`, { jabatan: r.pick(JABATAN), nomor_sk: `821/${r.int(1, 9999)}/${year}` });
    if (r.chance(0.04)) add('pindah_instansi', `${start + r.int(2, 10)}-07-01`, { nomor_sk: `800/PI/${r.int(1, 999)}` });
    if (r.chance(0.015)) {
      const year = start + r.int(2, 10);
      add('cltn', `${year}-01-01`, { selesai: `${year + 1}-12-31`, nomor_sk: `CLTN/${r.int(1, 999)}` });
    }
    return rows;
  }
}
