import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, referenceData, testDb, translateId } from '../../../tests/helpers/profile';
import { createAuditLog } from '../audit';
import { readTable } from '../../infra/sheets';
import { cellDate, parseCsv } from '../employees/table';
import { createHistory, type HistoryService } from './index';
import { historyRowsFromTable, normalizeTingkat } from './parse';

const actor = { id: 'tester' };
const BUDI = '199001012015031001';
const SITI = '199202292015032002';
let ctx: ReturnType<typeof testDb>;
let history: HistoryService;

beforeEach(() => {
  ctx = testDb();
  const insert = ctx.db.prepare("INSERT INTO employees (nip, kind, nama, golongan, updated_at) VALUES (?, 'pns', ?, 'III/c', '2026-11-24T00:00:00Z')");
  insert.run(BUDI, 'Budi Santoso');
  insert.run(SITI, 'Siti Aminah');
  history = createHistory({ db: ctx.db, clock: fixedClock, translate: translateId, reference: referenceData, readTable, audit: createAuditLog({ db: ctx.db, clock: fixedClock }) });
});
afterEach(() => ctx.cleanup());

const parse = (csv: string, kind?: Parameters<typeof historyRowsFromTable>[1]) =>
  historyRowsFromTable(parseCsv(csv), kind, { translate: translateId, reference: referenceData(), knownNip: (nip) => nip === BUDI || nip === SITI });

describe('history parser', () => {
  it('reads SIASN column names and their aliases, and tells the kind from the columns', () => {
    const golongan = parse(['NIP;GOL;TMT GOLONGAN;NO SK;TANGGAL SK;JENIS KP', `${BUDI};3b;01-04-2019;823/KP/2019;15/03/2019;Reguler`].join('\n'));
    expect(golongan.kind).toBe('golongan');
    expect(golongan.rejected).toEqual([]);
    expect(golongan.rows[0]).toMatchObject({ nip: BUDI, golongan: 'III/b', tmt: '2019-04-01', nomor_sk: '823/KP/2019', tanggal_sk: '2019-03-15', jenis_kp: 'Reguler', record_key: 'tmt:2019-04-01' });

    const jabatan = parse(['NIP BARU,NAMA JABATAN,UNIT KERJA,TMT JABATAN,NOMOR SK', `${BUDI},Analis SDM,Bidang Mutasi,2020-01-02,821/1/2020`].join('\n'));
    expect(jabatan.kind).toBe('jabatan');
    expect(jabatan.rows[0]).toMatchObject({ jabatan: 'Analis SDM', unit: 'Bidang Mutasi', tmt: '2020-01-02' });

    const pendidikan = parse(['NIP;TINGKAT PENDIDIKAN;PENDIDIKAN;TAHUN LULUS;NOMOR IJAZAH', `${BUDI};Strata 1;Ilmu Hukum;2012;UI/12/345`, `${BUDI};S-2;Administrasi Publik;2018;`].join('\n'));
    expect(pendidikan.kind).toBe('pendidikan');
    expect(pendidikan.rows.map((r) => [r.tingkat, r.jurusan, r.tahun_lulus, r.nomor_ijazah])).toEqual([['S1', 'Ilmu Hukum', 2012, 'UI/12/345'], ['S2', 'Administrasi Publik', 2018, null]]);

    const pindah = parse(['NIP;INSTANSI ASAL;INSTANSI BARU;TMT PINDAH;NOMOR SK', `${BUDI};Pemkab Bogor;Pemprov Jawa Barat;01.07.2021;800/PI/2021`].join('\n'));
    expect(pindah.kind).toBe('pindah_instansi');
    expect(pindah.rows[0]).toMatchObject({ instansi_asal: 'Pemkab Bogor', instansi_tujuan: 'Pemprov Jawa Barat', tmt: '2021-07-01' });

    const cltn = parse(['NIP;TANGGAL MULAI;TANGGAL SELESAI;NOMOR SK', `${BUDI};01-01-2022;31-12-2022;CLTN/1/2021`].join('\n'));
    expect(cltn.kind).toBe('cltn');
    expect(cltn.rows[0]).toMatchObject({ tmt: '2022-01-01', selesai: '2022-12-31', nomor_sk: 'CLTN/1/2021' });
  });

  it('takes the kind it is given, with a plain TMT column standing for the kind date', () => {
    const given = parse(['NIP;JABATAN;TMT', `${BUDI};Kepala Seksi;05-05-2021`].join('\n'), 'jabatan');
    expect(given.rows[0]).toMatchObject({ kind: 'jabatan', tmt: '2021-05-05' });
  });

  it('refuses a file whose kind it cannot tell, naming its columns', () => {
    expect(() => parse(['NIP;KETERANGAN', `${BUDI};x`].join('\n'))).toThrow('Jenis riwayat tidak dapat dikenali dari kolom berkas (NIP, KETERANGAN); pilih jenisnya');
    expect(() => parse(['NIP;TMT GOLONGAN;TMT JABATAN', `${BUDI};01-01-2020;01-01-2020`].join('\n'))).toThrow(/pilih jenisnya/);
  });

  it('reads the date forms: dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, Excel serials and date cells', () => {
    expect(['01-04-2019', '01/04/2019', '2019-04-01', '43556', 43556, new Date(Date.UTC(2019, 3, 1))].map((cell) => cellDate(cell))).toEqual(Array(6).fill({ y: 2019, m: 4, d: 1 }));
    expect(['2019', '31-02-2019', '1/4/19', 'kemarin', 0].map((cell) => cellDate(cell))).toEqual([null, null, null, null, null]);
  });

  it('rejects each bad row with its row number and reason, and keeps the good rows', () => {
    const result = parse(
      [
        'NIP;GOLONGAN;TMT GOLONGAN;NOMOR SK;TANGGAL SK',
        `${BUDI};III/a;01-03-2015;;`,
        '199901012020011099;III/b;01-04-2019;;',
        `${BUDI};III/z;01-04-2019;;`,
        `${BUDI};III/b;31-02-2019;;`,
        `${BUDI};;01-04-2019;;`,
        `${BUDI};III/b;;;`,
        `${BUDI};III/b;01-04-2019;;kemarin`,
        `${BUDI};III/b;01-03-2015;;`,
        ';III/b;01-04-2019;;',
      ].join('\n'),
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rejected.map((r) => r.message)).toEqual([
      'Baris 3: NIP 199901012020011099 tidak ada di daftar pegawai; impor daftar pegawai terlebih dahulu',
      'Baris 4: kode golongan "III/z" tidak dikenal',
      'Baris 5: TMT GOLONGAN "31-02-2019" bukan tanggal (tulis HH-BB-TTTT, HH/BB/TTTT atau TTTT-BB-HH)',
      'Baris 6: kolom GOLONGAN kosong',
      'Baris 7: kolom TMT GOLONGAN kosong',
      'Baris 8: TANGGAL SK "kemarin" bukan tanggal (tulis HH-BB-TTTT, HH/BB/TTTT atau TTTT-BB-HH)',
      'Baris 9: riwayat yang sama sudah ada di baris 2',
      'Baris 10: kolom NIP kosong',
    ]);
    const education = parse(['NIP;TINGKAT PENDIDIKAN;TAHUN LULUS', `${BUDI};;2010`, `${BUDI};S1;20x2`].join('\n'));
    expect(education.rejected.map((r) => r.message)).toEqual(['Baris 2: kolom TINGKAT PENDIDIKAN kosong', 'Baris 3: tahun lulus "20x2" harus tahun empat digit']);
  });

  it('writes the education levels as short codes', () => {
    expect(['S1', 's-1', 'Strata 1', 'D III', 'D-IV', 'Diploma III', 'SMA', 'Magister', 'Paket C'].map(normalizeTingkat)).toEqual(['S1', 'S1', 'S1', 'D3', 'D4', 'D3', 'SLTA', 'S2', 'PAKETC']);
  });
});

describe('history import', () => {
  const GOL = 'NIP;ID RIWAYAT;GOL;TMT GOLONGAN;NO SK';

  it('imports in one audited transaction with counts only, and a re-import updates instead of duplicating', async () => {
    const file = join(ctx.dir, 'rw-golongan.csv');
    writeFileSync(file, [GOL, `${BUDI};;III/a;01-03-2015;813/2015`, `${BUDI};;III/b;01-04-2019;823/2019`, `${SITI};abc-1;III/a;01-03-2016;`].join('\n'));
    expect(await history.importFile(file, 'rw-golongan.csv', undefined, actor)).toEqual({ kind: 'golongan', inserted: 3, updated: 0, unchanged: 0, rejected: [] });

    // A corrected SK number and a corrected TMT on a record with SIASN's id: both update.
    writeFileSync(file, [GOL, `${BUDI};;III/a;01-03-2015;813/2015`, `${BUDI};;III/b;01-04-2019;823/KP/2019`, `${SITI};abc-1;III/a;02-03-2016;`].join('\n'));
    expect(await history.importFile(file, 'rw-golongan.csv', 'golongan', actor)).toMatchObject({ inserted: 0, updated: 2, unchanged: 1 });
    expect(ctx.db.prepare('SELECT count(*) AS n FROM employee_history').get()).toEqual({ n: 3 });
    expect(history.list(BUDI).map((r) => [r.golongan, r.tmt, r.nomorSk, r.importedBy])).toEqual([['III/a', '2015-03-01', '813/2015', 'tester'], ['III/b', '2019-04-01', '823/KP/2019', 'tester']]);
    expect(history.list(SITI)[0]).toMatchObject({ idRiwayat: 'abc-1', tmt: '2016-03-02' });

    const audit = ctx.db.prepare("SELECT detail FROM audit_log WHERE action = 'employees.history_imported' ORDER BY id").all() as { detail: string }[];
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1].detail)).toEqual({ source: 'rw-golongan.csv', kind: 'golongan', inserted: 0, updated: 2, unchanged: 1, rejected: 0 });
    expect(audit.map((a) => a.detail).join()).not.toContain(BUDI);
  });

  it('a record imported without SIASN id and again with one is updated, not duplicated', () => {
    const sheet = (lines: string[]) => parseCsv(lines.join('\n'));
    history.importTable(sheet(['NIP;JABATAN;TMT JABATAN', `${BUDI};Analis SDM;02-01-2020`]), undefined, actor, 'agency.csv');
    const report = history.importTable(sheet(['NIP;ID RIWAYAT;JABATAN;TMT JABATAN;NOMOR SK', `${BUDI};rw-77;Analis SDM;02-01-2020;821/4/2020`]), undefined, actor, 'siasn.csv');
    expect(report).toMatchObject({ inserted: 0, updated: 1 });
    expect(history.list(BUDI)).toMatchObject([{ idRiwayat: 'rw-77', nomorSk: '821/4/2020' }]);
    expect(history.importTable(sheet(['NIP;ID RIWAYAT;JABATAN;TMT JABATAN;NOMOR SK', `${BUDI};rw-77;Analis SDM;02-01-2020;821/4/2020`]), undefined, actor, 'siasn.csv')).toMatchObject({ unchanged: 1 });
  });

  it('reads XLSX with date cells and Excel serials', async () => {
    const file = join(ctx.dir, 'rw-cltn.xlsx');
    await writeXlsxFile([
      ['NIP', 'TMT CLTN', 'TANGGAL SELESAI', 'NOMOR SK'].map((value) => ({ value })),
      [{ value: BUDI }, { value: new Date(Date.UTC(2022, 0, 1)), type: Date, format: 'dd/mm/yyyy' }, { value: 44926, type: Number }, { value: 'CLTN/1' }],
    ]).toFile(file);
    const report = await history.importFile(file, 'rw-cltn.xlsx', undefined, actor);
    expect(report).toMatchObject({ kind: 'cltn', inserted: 1, rejected: [] });
    expect(history.list(BUDI)[0]).toMatchObject({ kind: 'cltn', tmt: '2022-01-01', selesai: '2022-12-31' });
  });

  it('refuses a file that is neither CSV nor XLSX, and a NIP not in the list', async () => {
    const file = join(ctx.dir, 'rw.doc');
    writeFileSync(file, 'x');
    await expect(history.importFile(file, 'rw.doc', undefined, actor)).rejects.toMatchObject({ code: 'unsupported' });
    expect(() => history.list('199901012020011099')).toThrow(/tidak ada di daftar/);
  });
});
